"""aws-sesv2-configuration-set-configure-suppression: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sesv2-configuration-set-configure-suppression"
TYPE = "aws:sesv2/configurationSet:ConfigurationSet"


def test_bounce_and_complaint_suppressed_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_only_bounce_suppressed_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"suppressionOptions.suppressedReasons": ["BOUNCE"]})),
              "lacks ['COMPLAINT']")

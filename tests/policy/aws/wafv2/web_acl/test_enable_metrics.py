"""aws-wafv2-web-acl-enable-metrics: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-wafv2-web-acl-enable-metrics"
TYPE = "aws:wafv2/webAcl:WebAcl"


def test_full_visibility_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_rule_without_sampled_requests_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"rules.0.visibilityConfig.sampledRequestsEnabled": False})),
              "rule 'rate-limit' has sampledRequestsEnabled off")

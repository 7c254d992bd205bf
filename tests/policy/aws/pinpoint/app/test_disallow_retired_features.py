"""aws-pinpoint-app-disallow-retired-features: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-pinpoint-app-disallow-retired-features"
TYPE = "aws:pinpoint/app:App"


def test_push_only_app_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_app_with_campaign_limits_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"limits": {"daily": 100.0}})),
              "engagement-only settings ['limits']")


def test_email_channel_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make("aws:pinpoint/emailChannel:EmailChannel")),
              'the Pinpoint email channel (use SES v2) is retired on 2026-10-30')


def test_end_user_messaging_sms_is_not_flagged(run_rule, make):
    assert run_rule(POLICY, make("aws:pinpoint/smsvoicev2ConfigurationSet:Smsvoicev2ConfigurationSet")) == []

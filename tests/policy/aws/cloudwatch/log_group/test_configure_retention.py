"""aws-cloudwatch-log-group-configure-retention: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudwatch-log-group-configure-retention"
TYPE = "aws:cloudwatch/logGroup:LogGroup"


def test_thirty_days_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_missing_retention_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"retentionInDays": fx.DELETE})),
              '`retentionInDays` is not set; logs would be kept forever')


def test_retention_below_prod_minimum_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE), config={'minimumRetentionDays': 365}),
              '`retentionInDays` is 30; expected at least 365')


def test_prod_tagged_log_group_keeps_a_year_under_a_dev_config(run_rule, make, violation):
    group = make("aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": 14.0, "tags": {"environment": "prod"}})
    violation(run_rule(POLICY, group, config={"minimumRetentionDays": 14}), "expected at least 365")

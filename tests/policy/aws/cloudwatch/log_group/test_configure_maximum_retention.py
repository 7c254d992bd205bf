"""aws-cloudwatch-log-group-configure-maximum-retention: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudwatch-log-group-configure-maximum-retention"
TYPE = "aws:cloudwatch/logGroup:LogGroup"


def test_thirty_days_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_ten_years_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"retentionInDays": 3653.0})),
              '`retentionInDays` is 3653; at most 731 allowed')

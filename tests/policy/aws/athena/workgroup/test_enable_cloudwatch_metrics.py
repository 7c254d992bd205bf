"""aws-athena-workgroup-enable-cloudwatch-metrics: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-athena-workgroup-enable-cloudwatch-metrics"
TYPE = "aws:athena/workgroup:Workgroup"


def test_metrics_enabled_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_metrics_disabled_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"configuration.publishCloudwatchMetricsEnabled": False})),
              '`configuration.publishCloudwatchMetricsEnabled` is False')

"""aws-sesv2-configuration-set-enable-reputation-metrics: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sesv2-configuration-set-enable-reputation-metrics"
TYPE = "aws:sesv2/configurationSet:ConfigurationSet"


def test_reputation_metrics_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_missing_reputation_options_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"reputationOptions": fx.DELETE})),
              '`reputationOptions.reputationMetricsEnabled` is not set')

"""aws-lambda-function-enable-tracing: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-function-enable-tracing"
TYPE = "aws:lambda/function:Function"


def test_active_tracing_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_passthrough_tracing_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"tracingConfig.mode": "PassThrough"})),
              "`tracingConfig.mode` is 'PassThrough'")


def test_missing_tracing_config_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"tracingConfig": fx.DELETE})),
              '`tracingConfig.mode` is not set')

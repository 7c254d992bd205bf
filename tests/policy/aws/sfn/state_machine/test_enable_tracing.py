"""aws-sfn-state-machine-enable-tracing: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sfn-state-machine-enable-tracing"
TYPE = "aws:sfn/stateMachine:StateMachine"


def test_tracing_enabled_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_tracing_disabled_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"tracingConfiguration.enabled": False})),
              '`tracingConfiguration.enabled` is False')

"""aws-sfn-state-machine-enable-logging: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sfn-state-machine-enable-logging"
TYPE = "aws:sfn/stateMachine:StateMachine"


def test_error_logging_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_logging_off_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"loggingConfiguration.level": "OFF"})),
              "`loggingConfiguration.level` is 'OFF'")


def test_error_level_is_violation_when_all_required(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE), config={'levels': ['ALL']}),
              "`loggingConfiguration.level` is 'ERROR'")

"""aws-sfn-state-machine-disable-execution-data-logging: the compliant baseline, then one changed field."""
POLICY = "aws-sfn-state-machine-disable-execution-data-logging"
TYPE = "aws:sfn/stateMachine:StateMachine"


def test_logging_without_execution_data_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_logging_execution_data_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"loggingConfiguration.includeExecutionData": True})),
              "`loggingConfiguration.includeExecutionData` is True")

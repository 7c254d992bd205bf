"""aws-sfn-state-machine-disable-execution-data-logging: logging on, personal data out of the logs."""
POLICY = "aws-sfn-state-machine-disable-execution-data-logging"
TYPE = "aws:sfn/stateMachine:StateMachine"


def test_error_logging_without_execution_data_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_execution_data_in_logs_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"loggingConfiguration.includeExecutionData": True})),
              "execution input and output go to the logs")


def test_no_logging_at_all_is_another_rule(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"loggingConfiguration": fx.DELETE})) == []

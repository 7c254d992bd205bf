"""aws-lambda-function-configure-log-retention: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-function-configure-log-retention"


def test_function_logging_to_own_group_with_retention_is_compliant(run_rule, fx):
    assert run_rule(POLICY, *fx.function_stack()) == []


def test_implicit_aws_lambda_log_group_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.function_stack({"loggingConfig": fx.DELETE}, log_group=fx.DELETE)),
              'logs to the implicit /aws/lambda group')


def test_log_group_without_retention_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.function_stack(log_group={"retentionInDays": fx.DELETE})),
              'with retention None')


def test_log_group_below_minimum_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.function_stack(log_group={"retentionInDays": 3.0})),
              'expected at least 7 days')

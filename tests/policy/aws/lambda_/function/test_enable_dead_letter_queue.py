"""aws-lambda-function-enable-dead-letter-queue: failed async events kept by a DLQ or an on-failure destination."""
POLICY = "aws-lambda-function-enable-dead-letter-queue"
TYPE = "aws:lambda/function:Function"
INVOKE = "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig"
ON_FAILURE = {"functionName": "fn", "maximumRetryAttempts": 2.0,
              "destinationConfig": {"onFailure": {"destination": "arn:aws:sqs:us-east-1:123456789012:fn-failures"}}}


def test_function_with_dlq_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_missing_dead_letter_config_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"deadLetterConfig": fx.DELETE})),
              "has neither a dead-letter queue nor an on-failure destination")


def test_on_failure_destination_of_the_invoke_config_is_compliant(run_rule, make, fx):
    function = make(TYPE, {"deadLetterConfig": fx.DELETE}, name="fn")
    config = make(INVOKE, props=ON_FAILURE, name="fn-async", deps={"functionName": ["fn"]})
    assert run_rule(POLICY, function, config) == []


def test_invoke_config_without_on_failure_is_violation(run_rule, make, fx, violation):
    function = make(TYPE, {"deadLetterConfig": fx.DELETE}, name="fn")
    config = make(INVOKE, {"destinationConfig": fx.DELETE}, props=ON_FAILURE, name="fn-async")
    violation(run_rule(POLICY, function, config), "has neither")

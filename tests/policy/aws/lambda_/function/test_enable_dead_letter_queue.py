"""aws-lambda-function-enable-dead-letter-queue: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-function-enable-dead-letter-queue"
TYPE = "aws:lambda/function:Function"


def test_function_with_dlq_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_missing_dead_letter_config_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"deadLetterConfig": fx.DELETE})),
              '`deadLetterConfig.targetArn` is not set')

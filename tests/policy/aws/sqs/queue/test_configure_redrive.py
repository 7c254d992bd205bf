"""aws-sqs-queue-configure-redrive: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sqs-queue-configure-redrive"
TYPE_QUEUE = "aws:sqs/queue:Queue"
TYPE_FUNCTION = "aws:lambda/function:Function"


def test_queue_with_redrive_and_its_dlq_are_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE_QUEUE), make(TYPE_QUEUE, {"arn": fx.QUEUE_ARN, "redrivePolicy": fx.DELETE}, name="dlq")) == []


def test_queue_without_redrive_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE_QUEUE, {"redrivePolicy": fx.DELETE})),
              'has no redrive policy to a dead-letter queue')


def test_lambda_dlq_needs_no_redrive(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE_QUEUE, {"arn": fx.QUEUE_ARN, "redrivePolicy": fx.DELETE}), make(TYPE_FUNCTION)) == []


def test_customer_profiles_dlq_named_by_url_needs_no_redrive(run_rule, make, fx):
    url = f"https://sqs.us-east-1.amazonaws.com/{fx.ACCOUNT}/profiles-dlq"
    queue = make(TYPE_QUEUE, {"url": url, "redrivePolicy": fx.DELETE}, name="profiles-dlq")
    assert run_rule(POLICY, queue, make("aws:customerprofiles/domain:Domain")) == []

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


def test_dlq_found_by_dependency_when_its_arn_is_not_known_yet(run_rule, make, fx):
    # A first preview: the DLQ has no ARN yet, but the source queue's redrivePolicy depends on it.
    dlq = make(TYPE_QUEUE, {"arn": fx.DELETE, "redrivePolicy": fx.DELETE}, name="dlq")
    source = make(TYPE_QUEUE, name="work", deps={"redrivePolicy": ["dlq"]})
    assert run_rule(POLICY, source, dlq) == []


def test_queue_without_redrive_and_unknown_arn_is_not_silently_passed(run_rule, make, fx):
    # Before: the missing ARN matched the None of queues without redrive, and the queue passed unseen.
    work = make(TYPE_QUEUE, {"arn": fx.DELETE, "redrivePolicy": fx.DELETE}, name="work")
    other = make(TYPE_QUEUE, {"arn": fx.DELETE, "redrivePolicy": fx.DELETE}, name="other-dlq")
    findings = run_rule(POLICY, work, other)
    assert [(f.level, "during preview" in f.message, "work:" in f.message) for f in findings] == [
        ("advisory", True, True)]


def test_unknown_queue_does_not_hide_a_known_violation(run_rule, make, fx):
    unknown = make(TYPE_QUEUE, {"arn": fx.DELETE, "redrivePolicy": fx.DELETE}, name="pending")
    broken = make(TYPE_QUEUE, {"redrivePolicy": fx.DELETE}, name="broken")
    findings = run_rule(POLICY, unknown, broken)
    assert sorted((f.level, f.resource_name) for f in findings) == [("advisory", "(stack)"), ("mandatory", "broken")]


def test_customer_profiles_dlq_named_by_url_needs_no_redrive(run_rule, make, fx):
    url = f"https://sqs.us-east-1.amazonaws.com/{fx.ACCOUNT}/profiles-dlq"
    queue = make(TYPE_QUEUE, {"url": url, "redrivePolicy": fx.DELETE}, name="profiles-dlq")
    assert run_rule(POLICY, queue, make("aws:customerprofiles/domain:Domain")) == []

"""aws-sqs-queue-configure-dead-letter-retention: the DLQ outlives the messages of the queue that feeds it."""
import pytest

POLICY = "aws-sqs-queue-configure-dead-letter-retention"
QUEUE = "aws:sqs/queue:Queue"
DAYS = 86400.0


def pair(make, fx, source_days=None, dlq_days=14, by_dependency=False):
    source = make(QUEUE, {"messageRetentionSeconds": source_days * DAYS if source_days else fx.DELETE},
                  name="work", deps={"redrivePolicy": ["dlq"]} if by_dependency else {})
    dlq = make(QUEUE, {"arn": fx.QUEUE_ARN, "redrivePolicy": fx.DELETE,
                       "messageRetentionSeconds": dlq_days * DAYS if dlq_days else fx.DELETE}, name="dlq")
    return [source, dlq]


@pytest.mark.parametrize("source_days, dlq_days", [(4, 14), (None, 14), (14, 14), (7, 10)])
def test_dlq_keeping_messages_longer_is_compliant(run_rule, make, fx, source_days, dlq_days):
    assert run_rule(POLICY, *pair(make, fx, source_days, dlq_days)) == []


@pytest.mark.parametrize("source_days, dlq_days", [(7, 4), (4, None), (10, 10), (14, 1)])
def test_dlq_expiring_messages_first_is_violation(run_rule, make, fx, violation, source_days, dlq_days):
    violation(run_rule(POLICY, *pair(make, fx, source_days, dlq_days)), "failed messages would expire on arrival")


def test_dlq_found_by_dependency_is_checked_too(run_rule, make, fx, violation):
    source, dlq = pair(make, fx, 7, 4, by_dependency=True)
    dlq.props.pop("arn")
    violation(run_rule(POLICY, source, dlq), "dead-letter queue dlq keeps messages 345600 s")

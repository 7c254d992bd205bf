"""Dead-letter queues keep messages longer than the queues that feed them."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_stack_policy
from rules.aws.sqs._queues import QUEUE, dead_letter_queue_of, redrive

DEFAULT_RETENTION, MAXIMUM_RETENTION = 345600, 1209600  # SQS: 4 days by default, 14 days at most
META = RuleMeta(
    id="SQS-004", pillar=Pillar.RELIABILITY, severity=Severity.HIGH,
    description="A queue's dead-letter queue keeps messages longer than the source queue (or the 14-day maximum). "
                "SQS keeps a message's original enqueue time when it moves it to the DLQ, so a DLQ with a shorter "
                "or equal retention deletes a failed message soon after (or before) it arrives: the failure is "
                "kept nowhere.",
    remediation="Set the DLQ's message_retention_seconds above the source queue's, ideally 1209600 (14 days).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP01",
    url="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html")


def check(source, view, _config):
    if not redrive(source).get("deadLetterTargetArn"):
        return
    dlq = dead_letter_queue_of(view, source)
    if dlq is None:
        return  # a DLQ outside this stack: its retention is not ours to read
    kept = int(dlq.props.get("messageRetentionSeconds") or DEFAULT_RETENTION)
    fed = int(source.props.get("messageRetentionSeconds") or DEFAULT_RETENTION)
    if kept <= fed and kept < MAXIMUM_RETENTION:
        yield (f"dead-letter queue {dlq.name} keeps messages {kept} s, not longer than {source.name} ({fed} s); "
               f"failed messages would expire on arrival.")


POLICY = resource_stack_policy(__name__, META, [QUEUE], check)

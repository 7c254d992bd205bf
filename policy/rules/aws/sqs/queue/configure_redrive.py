"""SQS queues either redrive failed messages to a DLQ or are themselves a DLQ."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_stack_policy
from rules.aws.sqs._queues import QUEUE, is_dead_letter_queue, redrive

META = RuleMeta(
    id="SQS-003", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="SQS queues have a redrive policy with a dead-letter queue and a maxReceiveCount, unless the "
                "queue is itself a dead-letter queue (of another queue, a Lambda function, an async invoke "
                "config, an EventBridge target, a schedule, an SNS subscription, an event source mapping or a Customer Profiles domain). A "
                "poison message then stops being retried. During a first preview, a queue whose ARN is not known "
                "yet and that no dependency proves to be a DLQ is reported as not checkable, never passed.",
    remediation="Set redrive_policy=json.dumps({'deadLetterTargetArn': dlq.arn, 'maxReceiveCount': 5}) and keep "
                "the DLQ's message_retention_seconds at 14 days.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP01",
    url="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html")


def check(queue, view, _config):
    policy = redrive(queue)
    if policy.get("deadLetterTargetArn") and policy.get("maxReceiveCount"):
        return
    if not is_dead_letter_queue(view, queue):
        yield f"queue {queue.name} has no redrive policy to a dead-letter queue and is no DLQ itself."


POLICY = resource_stack_policy(__name__, META, [QUEUE], check)

"""SQS queues either redrive failed messages to a DLQ or are themselves a DLQ."""
import json
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, PolicyResource, Severity

from rules._framework import Pillar, RuleMeta, StackView, get_path, stack_policy

QUEUE = "aws:sqs/queue:Queue"
# Where other resources name a queue as their dead-letter or failure destination.
DLQ_REFERENCES = (("aws:lambda/function:Function", "deadLetterConfig.targetArn"),
                  ("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
                   "destinationConfig.onFailure.destination"),
                  ("aws:cloudwatch/eventTarget:EventTarget", "deadLetterConfig.arn"),
                  ("aws:scheduler/schedule:Schedule", "target.deadLetterConfig.arn"),
                  ("aws:customerprofiles/domain:Domain", "deadLetterQueueUrl"))
META = RuleMeta(
    id="SQS-003", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="SQS queues have a redrive policy with a dead-letter queue and a maxReceiveCount, unless the "
                "queue is itself a dead-letter queue (of another queue, a Lambda function, an async invoke "
                "config, an EventBridge target, a schedule or a Customer Profiles domain). A poison message then stops "
                "being retried.",
    remediation="Set redrive_policy=json.dumps({'deadLetterTargetArn': dlq.arn, 'maxReceiveCount': 5}) and keep "
                "the DLQ's message_retention_seconds at 14 days.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP01",
    url="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html")


def _redrive(queue: PolicyResource) -> dict[str, Any]:
    value = queue.props.get("redrivePolicy")
    try:
        return json.loads(value) if isinstance(value, str) and value else {}
    except json.JSONDecodeError:
        return {}


def check(view: StackView, _config: Mapping[str, Any]) -> Iterable[tuple[PolicyResource, str]]:
    queues = view.of_type(QUEUE)
    dlq_arns = {_redrive(q).get("deadLetterTargetArn") for q in queues}
    for resource_type, path in DLQ_REFERENCES:
        dlq_arns.update(get_path(r.props, path) for r in view.of_type(resource_type))
    dlq_arns.discard(None)
    for queue in queues:
        if queue.props.get("arn") in dlq_arns or queue.props.get("url") in dlq_arns:  # some name it by URL
            continue
        redrive = _redrive(queue)
        if not redrive.get("deadLetterTargetArn") or not redrive.get("maxReceiveCount"):
            yield queue, f"queue {queue.name} has no redrive policy to a dead-letter queue and is no DLQ itself."


POLICY = stack_policy(__name__, META, check)

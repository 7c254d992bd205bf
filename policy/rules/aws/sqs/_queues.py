"""Which queues of the stack are dead-letter queues, and of what (shared by the SQS rules; not a rule)."""
from __future__ import annotations

import json
from typing import Any

from pulumi_policy import PolicyResource

from rules._framework import StackView, get_path, known

QUEUE = "aws:sqs/queue:Queue"
# Where other resources name a queue as their dead-letter or failure destination: (type, property, path).
DLQ_REFERENCES = (("aws:sqs/queue:Queue", "redrivePolicy", None),
                  ("aws:lambda/function:Function", "deadLetterConfig", "deadLetterConfig.targetArn"),
                  ("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "destinationConfig",
                   "destinationConfig.onFailure.destination"),
                  ("aws:cloudwatch/eventTarget:EventTarget", "deadLetterConfig", "deadLetterConfig.arn"),
                  ("aws:scheduler/schedule:Schedule", None, "target.deadLetterConfig.arn"),
                  ("aws:sns/topicSubscription:TopicSubscription", "redrivePolicy", None),
                  ("aws:lambda/eventSourceMapping:EventSourceMapping", "destinationConfig",
                   "destinationConfig.onFailure.destinationArn"),
                  # Customer Profiles names its dead-letter queue by URL, not ARN.
                  ("aws:customerprofiles/domain:Domain", "deadLetterQueueUrl", "deadLetterQueueUrl"))


def redrive(resource: PolicyResource) -> dict[str, Any]:
    """The parsed `redrivePolicy` JSON of a queue or subscription; {} if absent or malformed."""
    value = resource.props.get("redrivePolicy")
    try:
        parsed = json.loads(value) if isinstance(value, str) and value else {}
    except json.JSONDecodeError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _referenced_arn(resource: PolicyResource, path: str | None) -> Any:
    if path is None:
        return redrive(resource).get("deadLetterTargetArn")
    return get_path(resource.props, path)


def is_dead_letter_queue(view: StackView, queue: PolicyResource) -> bool:
    """True if another resource names the queue as its DLQ, by dependency or by ARN. With neither proof and the
    queue's ARN not known yet (a first preview), the answer is unknown: view.identity raises."""
    for resource_type, prop, _path in DLQ_REFERENCES:
        if prop is None:
            continue
        for resource in view.of_type(resource_type):
            if resource is not queue and any(d.urn == queue.urn for d in resource.property_dependencies.get(prop, [])):
                return True
    names = {view.identity(queue), known(queue.props, "url")} - {None}
    return any(_referenced_arn(r, path) in names for resource_type, _prop, path in DLQ_REFERENCES
               for r in view.of_type(resource_type) if r is not queue)


def dead_letter_queue_of(view: StackView, source: PolicyResource) -> PolicyResource | None:
    """The stack's queue that `source`'s redrive policy points to, by dependency or by ARN."""
    target = redrive(source).get("deadLetterTargetArn")
    queues = [q for q in view.of_type(QUEUE) if q is not source]
    by_dependency = [d for d in source.property_dependencies.get("redrivePolicy", []) if d.resource_type == QUEUE]
    if len(by_dependency) == 1:
        return by_dependency[0]
    return next((q for q in queues if target and known(q.props, "arn") == target), None)

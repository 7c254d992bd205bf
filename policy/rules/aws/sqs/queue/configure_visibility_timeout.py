"""Queues consumed by Lambda hide a message long enough for the function to finish."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, known, resource_stack_policy
from rules.aws.sqs._queues import QUEUE

MAPPING = "aws:lambda/eventSourceMapping:EventSourceMapping"
FUNCTION = "aws:lambda/function:Function"
DEFAULT_VISIBILITY, DEFAULT_TIMEOUT = 30, 3  # SQS and Lambda defaults, in seconds
META = RuleMeta(
    id="SQS-005", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="An SQS queue read by a Lambda event source mapping has a visibility timeout of at least six times "
                "the function's timeout (AWS's guidance), so a message still being processed, or retried after "
                "throttling, is not handed to a second invocation: duplicates otherwise, and receive counts that "
                "push good messages into the DLQ.",
    remediation="Set the queue's visibility_timeout_seconds to at least 6 x the function's timeout (plus the "
                "mapping's maximum_batching_window_in_seconds).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP03",
    url="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html")


def _function_of(mapping, view):
    by_dependency = [d for d in mapping.property_dependencies.get("functionName", []) if d.resource_type == FUNCTION]
    if by_dependency:
        return by_dependency[0]
    target = known(mapping.props, "functionName")
    return next((f for f in view.of_type(FUNCTION) if target and target in (known(f.props, "arn"),
                                                                          known(f.props, "name"))), None)


def check(queue, view, _config):
    arn = known(queue.props, "arn")
    for mapping in view.of_type(MAPPING):
        reads = any(d.urn == queue.urn for d in mapping.property_dependencies.get("eventSourceArn", [])) or \
            (arn and known(mapping.props, "eventSourceArn") == arn)
        function = _function_of(mapping, view) if reads else None
        if function is None:
            continue
        timeout = int(function.props.get("timeout") or DEFAULT_TIMEOUT)
        window = int(mapping.props.get("maximumBatchingWindowInSeconds") or 0)
        visibility = int(queue.props.get("visibilityTimeoutSeconds") or DEFAULT_VISIBILITY)
        if visibility < 6 * timeout + window:
            yield (f"queue {queue.name} hides messages {visibility} s but {function.name} may run {timeout} s; "
                   f"expected at least {6 * timeout + window} s.")


POLICY = resource_stack_policy(__name__, META, [QUEUE], check)

"""SQS consumer (EventBridge rule -> queue -> this function) forwarding interactions to the event tracker.

Partial batch responses: only the messages of PutEvents calls that still failed after retries come back, SQS
redelivers them, and after maxReceiveCount they wait in the dead-letter queue (replay: `aws sqs
start-message-move-task --source-arn <dlq arn>`).
"""
from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from .forward import forward
from .settings import client, settings

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="EngagementPredictiveEngagement")


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    config = settings()
    records: list[tuple[str, dict[str, Any]]] = []
    unreadable: list[str] = []
    for record in event.get("Records", []):
        try:
            body = json.loads(record["body"])
            if not isinstance(body, dict):
                raise ValueError("not an object")
            records.append((record["messageId"], body))
        except (KeyError, ValueError):
            # Not an EventBridge event: reported as failed, so after maxReceiveCount it waits in the DLQ.
            unreadable.append(record.get("messageId", ""))
    failed, counts = forward(client("personalize-events"), config.tracking_id, records, config.item_id_sources,
                             config.event_values, config.max_attempts)
    failed += [m for m in unreadable if m]
    counts["unreadable"] += len(unreadable)
    for name in ("forwarded", "failed", "put_events_calls", "missing_item_id", "unparseable"):
        metrics.add_metric(name=name, unit=MetricUnit.Count, value=counts[name])
    logger.info("forwarded", extra={"counts": dict(counts)})
    return {"batchItemFailures": [{"itemIdentifier": message_id} for message_id in failed]}

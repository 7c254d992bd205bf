"""DynamoDB stream consumer for the preferences table, with partial batch responses.

A failed record is reported in `batchItemFailures`; Lambda retries from it (later records are replayed too,
which is safe because sync.apply reconciles from the table) and, after the configured attempts, sends the
batch's coordinates to the DLQ (replayed with `python -m tools.preference_reconcile --dlq`).
"""
from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from . import sync
from .settings import settings

logger = Logger()
tracer = Tracer()
processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


def to_change(record: DynamoDBRecord) -> sync.Change:
    stream = record.dynamodb
    keys = stream.keys or {}
    return sync.Change(event_name=str(record.event_name.name if record.event_name else ""),
                       user_id=str(keys["user_id"]), center_id=str(keys["preference_center_id"]),
                       old=_plain(stream.old_image) or None, new=_plain(stream.new_image) or None)


def _plain(image: Any) -> Any:
    # Stream numbers arrive as Decimal; versions are small integers.
    from decimal import Decimal

    if isinstance(image, Decimal):
        return int(image)
    if isinstance(image, dict):
        return {k: _plain(v) for k, v in image.items()}
    if isinstance(image, (list, set, tuple)):
        return [_plain(v) for v in image]
    return image


# Records and contacts hold addresses: nothing is attached to X-Ray traces.
@tracer.capture_method(capture_response=False, capture_error=False)
def record_handler(record: DynamoDBRecord) -> None:
    change = to_change(record)
    logger.append_keys(user_id=change.user_id, preference_center_id=change.center_id)
    sync.apply(settings(), change)


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor,
                                    context=context)

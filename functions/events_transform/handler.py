"""Kinesis Data Firehose transformation Lambda: every source -> one canonical `all_events` record.

One output per input with the same recordId. A record that cannot be normalised is returned as
`ProcessingFailed` with its ORIGINAL data, so Firehose writes it under the error prefix: nothing is dropped
and one bad record never fails the batch.
"""
from __future__ import annotations

import gc
import os
from collections import Counter
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.data_classes import KinesisFirehoseEvent, event_source
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from contracts.events import InvalidEvent

from .normalize import transform_record

NAMESPACE = os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "EngagementEventsDatabase")
logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace=NAMESPACE)


class Settings(BaseModel):
    # Firehose keeps every source record under raw/ anyway; copying it into each Parquet row doubles the
    # table (see the README's figures), so it is opt-in.
    keep_raw_event: bool = Field(False, alias="KEEP_RAW_EVENT")
    # The application stream's transform: custom app events only, none reserved for the project's own producers.
    app_events_only: bool = Field(False, alias="APP_EVENTS_ONLY")


SETTINGS = Settings.model_validate(os.environ)


def transform_records(records: list[dict[str, Any]], keep_raw: bool = False,
                      app_only: bool = False) -> tuple[list[dict[str, Any]], Counter]:
    """Plain logic behind the handler: outputs in input order, and failure counts per reason. Records are the
    event's own dicts (recordId, data, approximateArrivalTimestamp), read as Powertools' KinesisFirehoseRecord
    does, without building an object per record: this loop is the Lambda's whole cost."""
    outputs: list[dict[str, Any]] = []
    failures: Counter = Counter()
    # The cyclic garbage collector stays off during the loop: every record allocates a few dozen containers (the
    # parsed JSON, the row), so CPython would otherwise scan the batch's live outputs every ~700 allocations, ~3%
    # of the loop; nothing here makes a reference cycle (reference counting frees it all).
    collecting = gc.isenabled()
    gc.disable()
    append, transform = outputs.append, transform_record  # local names: this loop runs once per record
    try:
        for rec in records:
            try:
                metadata, transformed = transform(rec["data"], rec.get("approximateArrivalTimestamp", 0), keep_raw,
                                                  app_only)
            except InvalidEvent as exc:
                failures[exc.reason] += 1
                logger.warning("record failed", extra={"record_id": rec["recordId"], "reason": exc.reason,
                                                       "detail": exc.detail[:500]})
                append({"recordId": rec["recordId"], "result": "ProcessingFailed", "data": rec["data"]})
                continue
            except Exception:  # noqa: BLE001 - a bug must cost one record, never the whole batch
                failures["internal_error"] += 1
                logger.exception("record failed unexpectedly", extra={"record_id": rec["recordId"]})
                append({"recordId": rec["recordId"], "result": "ProcessingFailed", "data": rec["data"]})
                continue
            append({"recordId": rec["recordId"], "result": "Ok", "data": transformed, "metadata": metadata})
    finally:
        if collecting:
            gc.enable()
    return outputs, failures


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
@event_source(data_class=KinesisFirehoseEvent)
def lambda_handler(event: KinesisFirehoseEvent, context: LambdaContext) -> dict[str, Any]:
    outputs, failures = transform_records(event.raw_event.get("records") or [], SETTINGS.keep_raw_event,
                                          SETTINGS.app_events_only)
    metrics.add_metric(name="RecordsTransformed", unit=MetricUnit.Count, value=len(outputs) - sum(failures.values()))
    metrics.add_metric(name="RecordsFailed", unit=MetricUnit.Count, value=sum(failures.values()))
    for reason, count in failures.items():
        # one metric per reason so an alarm can tell a producer's schema change from a bug
        with single_metric(name="RecordsFailedByReason", unit=MetricUnit.Count, value=count,
                           namespace=NAMESPACE) as metric:
            metric.add_dimension(name="reason", value=reason)
    return {"records": outputs}

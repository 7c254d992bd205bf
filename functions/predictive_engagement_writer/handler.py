"""Last step of the workflow: a batch-inference job's output onto every user's profile, then a summary event."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from contracts.category_consent import CategoryMap, read_all

from . import recommendations as recs
from .consent import ConsentGuard, read_catalogue
from .settings import client, settings

logger = Logger()
tracer = Tracer()


class WriteRequest(BaseModel):
    run_id: str = Field(pattern=r"^\d{8}T\d{6}Z$")
    model_version: str = Field(pattern=r"^arn:aws[a-z-]*:personalize:.+$")
    batch_input_location: str = Field(pattern=r"^s3://.+[^/]$")
    batch_output_location: str = Field(pattern=r"^s3://.+/$")


def emit(event: dict[str, Any]) -> None:
    if settings().events_stream_name:
        client("firehose").put_record(DeliveryStreamName=settings().events_stream_name,
                                      Record={"Data": (json.dumps(event) + "\n").encode()})


def consent_guard() -> ConsentGuard:
    """The preference center's word on every user, read now (not when the batch input was made)."""
    config = settings()
    if not config.preferences_table:
        return ConsentGuard.nobody()
    category_map = CategoryMap.from_json(config.category_map) if config.category_map else None
    consents = read_all(client("dynamodb"), config.preferences_table, category_map)
    return ConsentGuard(consents, lambda: read_catalogue(client("s3"), config.items_catalogue),
                        config.keep_uncategorised_items)


def write_recommendations(request: WriteRequest, now: datetime | None = None) -> dict[str, Any]:
    config, s3, dynamodb = settings(), client("s3"), client("dynamodb")
    now = now or datetime.now(UTC)
    report = recs.Report()
    known = recs.known_users(s3, request.batch_input_location)
    recs.validate(recs.read_lines(s3, request.batch_output_location, ".out"), known, report)
    if sum(report.problems.values()) - report.problems["job_error"] > config.max_bad_lines:
        message = recs.refuse_message(report)
        emit(recs.summary_event(request.run_id, request.model_version, "refused", report, now))
        logger.error(message, extra=report.as_dict())
        raise recs.BatchOutputRejected(message)
    rows = recs.attributes(recs.read_lines(s3, request.batch_output_location, ".out"), consent_guard(),
                           config.recommendation_count, request.model_version, now, report)
    written: list | None = [] if config.customer_profiles_domain else None
    recs.write(dynamodb, config.profile_table, request.run_id, rows, report, written)
    if written:
        recs.to_customer_profiles(client("customer-profiles"), config.customer_profiles_domain,
                                  config.customer_profiles_object_type, written, report)
    status = "superseded" if not report.promoted else "partial" if report.customer_profiles_failed else "succeeded"
    emit(recs.summary_event(request.run_id, request.model_version, status, report, now))
    logger.info("recommendations written", extra=report.as_dict())
    return {"run_id": request.run_id, "model_version": request.model_version, "status": status, **report.as_dict()}


@tracer.capture_lambda_handler
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return write_recommendations(WriteRequest.model_validate(event))

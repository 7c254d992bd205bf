"""The interactions export of one run: `plan` names the run and its UNLOAD, `convert` turns the UNLOAD's output.

`plan` (first workflow step): the run id (from the schedule's time, so a retried execution keeps its id) and
the UNLOAD statement of the interactions SELECT the stack rendered from its config (INTERACTIONS_SELECT).
`convert` (after the Athena UNLOAD): JSON lines (gzip) in; it writes, under the run's prefix in the work bucket:
`interactions/interactions.csv` (header + one row per valid interaction) and `batch-input/users.jsonl` (every
user with an interaction), and returns the counts the workflow's sufficiency check reads. Rows Personalize
would refuse (no item id in the configured sources, an id that is too long or not printable) are counted per
reason, never written: the counts and a clear message go into the result and the logs.

With the category filter (CATEGORY_MAP set), each batch-input line carries the user's opted-out item categories
as the filter's placeholder values, read from the preference center's table (contracts.category_consent); a user
whose categories do not fit one value is left without values and counted, and the writer gives them nothing.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import tempfile
from collections import Counter
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Union

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext

from pydantic import BaseModel, Field, TypeAdapter

from contracts import category_consent as consent
from contracts import personalize as contract

from .settings import client, settings

logger = Logger()
tracer = Tracer()


class PlanRequest(BaseModel):
    action: Literal["plan"]
    scheduled_time: datetime | None = None
    """EventBridge Scheduler's `<aws.scheduler.scheduled-time>`; a run started by hand uses the current time."""


class ExportRequest(BaseModel):
    action: Literal["convert"]
    run_id: str = Field(pattern=r"^\d{8}T\d{6}Z$")
    unload_prefix: str = Field(pattern=r"^s3://[a-z0-9.\-]{3,63}/.+/$")


Request = TypeAdapter(Annotated[Union[PlanRequest, ExportRequest], Field(discriminator="action")])


def plan(request: PlanRequest) -> dict[str, Any]:
    when = (request.scheduled_time or datetime.now(UTC)).astimezone(UTC)
    run_id = when.strftime("%Y%m%dT%H%M%SZ")
    prefix = f"s3://{settings().bucket}/{settings().run_prefix}{run_id}/unload/"
    return {"run_id": run_id, "unload_prefix": prefix,
            "unload_query": contract.unload_statement(settings().interactions_select, prefix)}


def split_s3(uri: str) -> tuple[str, str]:
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    return bucket, key


def unload_lines(s3: Any, bucket: str, prefix: str):
    """Every JSON line UNLOAD wrote under the prefix (gzip or plain), file by file in key order."""
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [o["Key"] for o in page.get("Contents", []) if o["Size"] > 0]
    for key in sorted(keys):
        body = s3.get_object(Bucket=bucket, Key=key)["Body"]
        stream = gzip.GzipFile(fileobj=body) if key.endswith(".gz") else body
        for raw in io.TextIOWrapper(stream, encoding="utf-8"):
            if raw.strip():
                yield raw


def convert(lines, csv_out, users_out, consents: dict[str, consent.Consent] | None = None,
            filtering: Counter | None = None) -> tuple[contract.Sufficiency, Counter]:
    """Plain logic: JSON lines in, Personalize CSV and batch input out; returns the counts. `consents` (user ->
    what they opted out of) adds filter values to the batch input, counted into `filtering`."""
    writer = csv.writer(csv_out, lineterminator="\n")
    writer.writerow(contract.INTERACTIONS_COLUMNS)
    per_user: Counter = Counter()
    rejected: Counter = Counter()
    for line in lines:
        try:
            row = json.loads(line)
            valid = contract.interaction_row(row.get("user_id"), row.get("item_id"), row.get("timestamp"),
                                             row.get("event_type"), row.get("event_value"))
        except contract.InteractionError as error:
            rejected[error.reason] += 1
            continue
        except (ValueError, AttributeError):
            rejected["malformed"] += 1
            continue
        writer.writerow(valid)
        per_user[valid[0]] += 1
    for user in per_user:
        users_out.write(contract.batch_input_line(user, _filter_values(user, consents or {}, filtering)))
    counts = contract.Sufficiency(interactions=sum(per_user.values()), users=len(per_user),
                                  users_with_two=sum(1 for n in per_user.values() if n >= 2))
    return counts, rejected


def _filter_values(user: str, consents: dict[str, consent.Consent], filtering: Counter | None) -> dict | None:
    found = consents.get(user, consent.NOTHING)
    if found.unsubscribed_all or not found.opted_out:
        return None  # unsubscribed users get nothing whatever Personalize answers (the writer)
    if not found.fits_filter:
        if filtering is not None:
            filtering["users_over_filter_limit"] += 1
        return None
    if filtering is not None:
        filtering["users_with_category_opt_outs"] += 1
    return consent.filter_values(found)


def read_consents() -> dict[str, consent.Consent] | None:
    """Everyone's opt-outs from the preference center's table, when the category filter is on."""
    config = settings()
    if not config.category_map:
        return None
    return consent.read_all(client("dynamodb"), config.preferences_table,
                            consent.CategoryMap.from_json(config.category_map))


def export(request: ExportRequest) -> dict[str, Any]:
    s3 = client("s3")
    consents, filtering = read_consents(), Counter()
    source_bucket, source_prefix = split_s3(request.unload_prefix)
    run_prefix = f"{settings().run_prefix}{request.run_id}/"
    # Spooled to /tmp, then streamed up (multipart when large): memory stays flat whatever the export size.
    with tempfile.TemporaryFile() as csv_file, tempfile.TemporaryFile() as users_file:
        csv_text = io.TextIOWrapper(csv_file, encoding="utf-8", newline="")
        users_text = io.TextIOWrapper(users_file, encoding="utf-8")
        counts, rejected = convert(unload_lines(s3, source_bucket, source_prefix), csv_text, users_text, consents,
                                   filtering)
        for text, handle, key in ((csv_text, csv_file, f"{run_prefix}interactions/interactions.csv"),
                                  (users_text, users_file, f"{run_prefix}batch-input/users.jsonl")):
            text.flush()
            text.detach()  # the wrapper must not close the file (boto3 reads it; the `with` closes it)
            handle.seek(0)
            s3.upload_fileobj(handle, settings().bucket, key)
    message = counts.message
    if rejected:
        message += "; left out: " + ", ".join(f"{n} rows with {reason.replace('_', ' ')}"
                                              for reason, n in sorted(rejected.items()))
    if filtering["users_over_filter_limit"]:
        message += (f"; {filtering['users_over_filter_limit']} users opted out of more categories than one filter "
                    f"value holds and get no recommendations")
    (logger.info if counts.sufficient else logger.warning)(message, extra={"rejected": dict(rejected),
                                                                            "category_filter": dict(filtering)})
    bucket = settings().bucket
    return {"run_id": request.run_id, "sufficient": counts.sufficient, "message": message,
            "interactions": counts.interactions, "users": counts.users, "users_with_two": counts.users_with_two,
            "rejected": dict(rejected),
            **({"category_filter": {"users_with_category_opt_outs": filtering["users_with_category_opt_outs"],
                                    "users_over_filter_limit": filtering["users_over_filter_limit"]}}
               if consents is not None else {}),
            "interactions_location": f"s3://{bucket}/{run_prefix}interactions/",
            "batch_input_location": f"s3://{bucket}/{run_prefix}batch-input/users.jsonl",
            "batch_output_location": f"s3://{bucket}/{run_prefix}batch-output/"}


@tracer.capture_lambda_handler
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = Request.validate_python(event)
    return plan(request) if isinstance(request, PlanRequest) else export(request)

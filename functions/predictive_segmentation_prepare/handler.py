"""Plan one pipeline run: the as_of date, the run id, the queries, the S3 locations and the job names.

Input (from the schedule, or by hand for a backfill or replay):
    {"mode": "score" | "retrain", "scheduled_time": "2026-12-06T03:00:00Z"}   or   {"mode": ..., "as_of": "2026-12-06"}
    plus "execution" (the Step Functions execution name, added by the state machine).

The feature SQL was rendered at deploy time from sql/predictive_segmentation/features.sql; here it is bound to
the run's as_of (a validated date literal; Athena's `?` parameters are allowed only in WHERE clauses) and wrapped
in UNLOAD ... TO the run's own prefix, which is emptied first, so re-running a day works.

A second action, once the model of the run is known (after the feature query, so after any retraining), renders
the two queries that unload what the scoring step reads from the run's feature rows: the companion (id, address,
label) and the drift histogram over the active model's training bins (contracts/churn_scoring_inputs):
    {"action": "scoring_queries", "plan": <the plan returned above>}
"""
from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, date, datetime
from typing import Any, Literal

import boto3
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field, field_validator, model_validator

from contracts import churn_features, churn_scores, profile_store
from contracts import churn_scoring_inputs as inputs
from contracts.events import partition_prefix

logger = Logger()
tracer = Tracer()


class Settings(BaseModel):
    bucket: str = Field(alias="BUCKET")
    feature_sql_key: str = Field(alias="FEATURE_SQL_KEY")
    feature_spec: str = Field(alias="FEATURE_SPEC")
    label_window_days: int = Field(alias="LABEL_WINDOW_DAYS", ge=1)
    events_bucket: str = Field(alias="EVENTS_BUCKET")
    events_prefix: str = Field(partition_prefix("email", "delivery"), alias="EVENTS_PREFIX")
    # the stack's `churn-<id>-` (components/predictive_segmentation/access.py): the role may start, describe
    # and stop only jobs under it, so two stacks in one account cannot touch each other's jobs
    job_name_prefix: str = Field(alias="JOB_NAME_PREFIX", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9-]{0,20}-$")


class RunRequest(BaseModel):
    mode: Literal["score", "retrain"] = "score"
    scheduled_time: datetime | None = None
    as_of: date | None = None
    execution: str = Field("manual", max_length=80)

    @model_validator(mode="after")
    def _one_date(self) -> RunRequest:
        if self.as_of is None and self.scheduled_time is None:
            raise ValueError("give `as_of` (YYYY-MM-DD) or `scheduled_time` (ISO 8601)")
        return self

    @property
    def day(self) -> date:
        return self.as_of or self.scheduled_time.date()  # type: ignore[union-attr]


def unload(sql: str, bucket: str, prefix: str) -> str:
    body = sql.strip().rstrip(";")
    return f"UNLOAD (\n{body}\n) TO 's3://{bucket}/{prefix}' WITH (format = 'JSON', compression = 'GZIP')"


def empty_prefix(s3: Any, bucket: str, prefix: str) -> int:
    removed = 0
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
        if keys:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
            removed += len(keys)
    return removed


def earliest_event_day(s3: Any, bucket: str, prefix: str) -> date | None:
    """The first `dt=` partition of the events (S3 lists prefixes in order, so the first page has it)."""
    page = s3.list_objects_v2(Bucket=bucket, Prefix=prefix, Delimiter="/", MaxKeys=1000)
    days = sorted(p["Prefix"][len(prefix):].strip("/")[3:] for p in page.get("CommonPrefixes", [])
                  if p["Prefix"][len(prefix):].startswith("dt="))
    return date.fromisoformat(days[0]) if days else None


def current_meta(s3: Any, bucket: str) -> dict[str, Any] | None:
    """The active version's meta (models/current/meta.json), None before the first promotion."""
    try:
        return json.loads(s3.get_object(Bucket=bucket, Key=churn_scores.CURRENT_META_KEY)["Body"].read())
    except s3.exceptions.NoSuchKey:
        return None


def current_model(s3: Any, bucket: str) -> str | None:
    """The SageMaker Model of the active version, None before the first promotion."""
    return (current_meta(s3, bucket) or {}).get("sagemaker_model")


class ScoringPlan(BaseModel):
    run_id: str

    @field_validator("run_id")
    @classmethod
    def _run_id(cls, value: str) -> str:
        return profile_store.check_run_id(value)


def scoring_queries(plan: ScoringPlan, config: Settings, s3: Any) -> dict[str, str]:
    """UNLOADs of the companion and the drift histogram into the run's prefixes (emptied by `plan`)."""
    meta = current_meta(s3, config.bucket)
    if meta is None:
        raise ValueError("no promoted model (models/current/meta.json); the drift bins come from its profile")
    prefixes = churn_scores.run_prefixes(plan.run_id)
    return {"companion_query": inputs.unload_parquet(inputs.companion_query(plan.run_id), config.bucket,
                                                     prefixes["companion"]),
            "drift_query": inputs.unload_parquet(inputs.drift_query(plan.run_id, meta.get("profile", {})),
                                                 config.bucket, prefixes["drift"]),
            "model_version": str(meta.get("model_version", ""))}


def plan(request: RunRequest, config: Settings, s3: Any) -> dict[str, Any]:
    spec = churn_features.FeatureSpec.from_json(json.loads(config.feature_spec))
    as_of = request.day
    moment = request.scheduled_time or datetime.combine(as_of, datetime.min.time(), tzinfo=UTC)
    moment = moment.astimezone(UTC) if moment.tzinfo else moment
    # The scheduled time, not the clock: a retry or replay of the same start plans the same run.
    run_id = profile_store.check_run_id(f"{moment:%Y%m%dT%H%M%S}Z-{request.mode}")
    prefixes = churn_scores.run_prefixes(run_id)
    sql = s3.get_object(Bucket=config.bucket, Key=config.feature_sql_key)["Body"].read().decode()
    model = current_model(s3, config.bucket)
    has_model = model is not None
    train_day = churn_features.training_as_of(as_of, config.label_window_days)
    needs_training = request.mode == "retrain" or not has_model
    if needs_training:
        churn_features.check_history(earliest_event_day(s3, config.events_bucket, config.events_prefix), as_of,
                                     config.label_window_days)
    for prefix in prefixes.values():
        empty_prefix(s3, config.bucket, prefix)
    suffix = hashlib.sha256(request.execution.encode()).hexdigest()[:8]
    stamp = run_id.split("-")[0].lower()
    return {
        "mode": request.mode, "run_id": run_id, "as_of": as_of.isoformat(), "training_as_of": train_day.isoformat(),
        "has_model": has_model, "needs_training": needs_training, "model_name": model or "",
        "model_version": f"{stamp}-{suffix}",
        "feature_query": unload(churn_features.bind(sql, as_of, spec), config.bucket, prefixes["features"]),
        "training_query": unload(churn_features.bind(sql, train_day, spec), config.bucket, prefixes["training"]),
        "features_uri": f"s3://{config.bucket}/{prefixes['features']}",
        "training_uri": f"s3://{config.bucket}/{prefixes['training']}",
        "transform_uri": f"s3://{config.bucket}/{prefixes['transform']}",
        "candidates_uri": f"s3://{config.bucket}/{churn_scores.CANDIDATES_PREFIX}",
        "transform_job": f"{config.job_name_prefix}score-{stamp}-{suffix}",
        "training_job": f"{config.job_name_prefix}train-{stamp}-{suffix}",
    }


@tracer.capture_lambda_handler
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    if event.get("action") == "scoring_queries":
        run = ScoringPlan.model_validate(event.get("plan", {}))
        return scoring_queries(run, Settings.model_validate(dict(os.environ)), boto3.client("s3"))
    # The state machine passes {"request": <its input>, "execution": <its name>}; a direct call may pass the input.
    request = RunRequest.model_validate({**event.get("request", event), "execution": event.get("execution", "manual")})
    config = Settings.model_validate(dict(os.environ))
    result = plan(request, config, boto3.client("s3"))
    logger.info("planned", extra={k: result[k] for k in ("run_id", "as_of", "mode", "needs_training")})
    return result

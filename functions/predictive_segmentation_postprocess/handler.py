"""Post-processing of a scoring run, one action per state of the pipeline (each retried on its own):

- `score`: batch-transform output + what Athena unloaded for scoring from the run's features (the companion:
  id, address, label; the drift histogram) -> scores (percentile, risk band, control group,
  audience, top features), written as the dated Parquet history file and the dated audience file; backtest
  and drift in the returned summary;
- `publish`: the profile store (write_run, then promote) and, only then, the stable `latest/` copies;
- `customer_profiles`: optional export to Amazon Connect Customer Profiles (into the object type the stack
  declares);
- `summary`: the run's summary event into the events database (its Firehose stream) and its metrics.

Every step is idempotent for a run id, so a retry or a replay of the same execution input redoes it safely.
"""
from __future__ import annotations

import json
import math
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field, field_validator

from contracts import churn_scores, profile_store
from contracts.events import PREDICTIVE_SEGMENTATION_APP_ID, custom_event

from . import customer_profiles, scoring, storage

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "EngagementPredictiveSegmentation"))
APP_ID = PREDICTIVE_SEGMENTATION_APP_ID


class Settings(BaseModel):
    bucket: str = Field(alias="BUCKET")
    profile_table: str = Field(alias="PROFILE_TABLE")
    events_stream: str = Field("", alias="EVENTS_STREAM_NAME")
    customer_profiles_domain: str = Field("", alias="CUSTOMER_PROFILES_DOMAIN")
    control_fraction: float = Field(0.1, alias="CONTROL_FRACTION", ge=0, lt=1)
    control_salt: str = Field("churn-control-v1", alias="CONTROL_SALT", min_length=1)
    medium_percentile: float = Field(0.8, alias="MEDIUM_PERCENTILE", gt=0, lt=1)
    label_window_days: int = Field(30, alias="LABEL_WINDOW_DAYS", ge=1)
    profile_writers: int = Field(4, alias="PROFILE_WRITERS", ge=1, le=32)


class Plan(BaseModel):
    run_id: str
    as_of: str
    mode: Literal["score", "retrain"] = "score"

    @field_validator("run_id")
    @classmethod
    def _run_id(cls, value: str) -> str:
        return profile_store.check_run_id(value)

    @field_validator("as_of")
    @classmethod
    def _as_of(cls, value: str) -> str:
        return date.fromisoformat(value).isoformat()


class Event(BaseModel):
    action: Literal["score", "publish", "customer_profiles", "summary"]
    plan: Plan
    summary: dict[str, Any] = Field(default_factory=dict)


def settings() -> Settings:
    return Settings.model_validate(dict(os.environ))


def score(plan: Plan, config: Settings, s3: Any) -> dict[str, Any]:
    prefixes = churn_scores.run_prefixes(plan.run_id)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        meta_path = storage.download_if_exists(s3, config.bucket, churn_scores.CURRENT_META_KEY, work / "meta.json")
        if meta_path is None:
            raise scoring.ScoringError("no promoted model (models/current/meta.json); run the retraining first")
        meta = json.loads(meta_path.read_text())
        transform = storage.download_prefix(s3, config.bucket, prefixes["transform"], work / "transform")
        companion = storage.download_prefix(s3, config.bucket, prefixes["companion"], work / "companion")
        histogram = storage.download_prefix(s3, config.bucket, prefixes["drift"], work / "drift")
        backtest_day = (date.fromisoformat(plan.as_of) - timedelta(days=config.label_window_days)).isoformat()
        previous = storage.download_if_exists(s3, config.bucket, churn_scores.history_key(backtest_day),
                                              work / "previous.parquet")
        summary = scoring.score(transform, companion, histogram, meta, scoring.ScoringSettings(
            config.control_fraction, config.control_salt, config.medium_percentile),
            scoring.Run(plan.run_id, plan.as_of), work / "out", previous)
        if summary["model_version"] != meta["model_version"]:
            raise scoring.ScoringError(f"the transform used model {summary['model_version']} but "
                                       f"{meta['model_version']} is current; the model changed during the run")
        s3.upload_file(str(work / "out" / "scores.parquet"), config.bucket, churn_scores.history_key(plan.as_of))
        s3.upload_file(str(work / "out" / "audience.csv"), config.bucket,
                       churn_scores.audience_history_key(plan.as_of))
    logger.info("scored", extra={k: summary[k] for k in ("scored", "at_risk", "audience", "control")})
    return summary


def _records(con: Any, where: str = "TRUE", shard: tuple[int, int] | None = None):
    condition = where if shard is None else f"({where}) AND hash(customer_id) % {shard[1]} = {shard[0]}"
    cursor = con.execute(f"SELECT * FROM scores WHERE {condition}")
    names = [d[0] for d in cursor.description]
    while batch := cursor.fetchmany(2000):
        yield from (dict(zip(names, row)) for row in batch)


def publish(plan: Plan, config: Settings, s3: Any, dynamodb: Any) -> dict[str, Any]:
    """Profile store first (all customers of the run, then the run pointer), then latest/: a failure before
    the end leaves readers on the previous run everywhere."""
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "scores.parquet"
        s3.download_file(config.bucket, churn_scores.history_key(plan.as_of), str(path))
        con = scoring.connect()
        con.execute(f"CREATE VIEW scores AS SELECT * FROM read_parquet('{path}')")
        shards = config.profile_writers

        def write(shard: int) -> profile_store.WriteReport:
            cursor = con.cursor()
            rows = ((r["customer_id"], churn_scores.profile_attributes(r)) for r in _records(cursor, shard=(shard, shards)))
            return profile_store.write_run(dynamodb, config.profile_table, churn_scores.NAMESPACE, plan.run_id, rows)

        with ThreadPoolExecutor(max_workers=shards) as pool:
            reports = list(pool.map(write, range(shards)))
    promoted = profile_store.promote(dynamodb, config.profile_table, churn_scores.NAMESPACE, plan.run_id)
    for source, target in ((churn_scores.history_key(plan.as_of), churn_scores.LATEST_KEY),
                           (churn_scores.audience_history_key(plan.as_of), churn_scores.AUDIENCE_LATEST_KEY)):
        if promoted:  # an older replay never overwrites a newer run's latest/
            s3.copy_object(Bucket=config.bucket, Key=target, CopySource={"Bucket": config.bucket, "Key": source})
    return {"written": sum(r.written for r in reports), "unchanged": sum(r.unchanged for r in reports),
            "skipped_newer": sum(r.skipped_newer for r in reports), "promoted": promoted}


def export_customer_profiles(plan: Plan, config: Settings, s3: Any, client: Any) -> dict[str, Any]:
    if not config.customer_profiles_domain:
        return {"exported": 0, "enabled": False}
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        s3.download_file(config.bucket, churn_scores.history_key(plan.as_of), str(work / "scores.parquet"))
        previous_day = storage.latest_history_before(s3, config.bucket, churn_scores.HISTORY_PREFIX, plan.as_of)
        con = scoring.connect()
        sources = [f"'{work / 'scores.parquet'}'"]
        if previous_day:
            s3.download_file(config.bucket, churn_scores.history_key(previous_day), str(work / "previous.parquet"))
            con.execute(f"CREATE VIEW previous AS SELECT customer_id FROM read_parquet('{work / 'previous.parquet'}') "
                        "WHERE at_risk")
        else:
            con.execute("CREATE VIEW previous AS SELECT NULL::VARCHAR AS customer_id WHERE false")
        # today's at-risk customers, and yesterday's, so that customers who left the audience are cleared too
        con.execute(f"CREATE VIEW scores AS SELECT * FROM read_parquet({sources[0]})")
        result = customer_profiles.export(client, config.customer_profiles_domain, _records(
            con, "at_risk OR customer_id IN (SELECT customer_id FROM previous)"))
    return {**result, "enabled": True}


def emit_summary(plan: Plan, summary: dict[str, Any], config: Settings, firehose: Any) -> dict[str, Any]:
    backtest, drift = summary.get("backtest", {}), summary.get("drift", {})
    values = {"scored": summary.get("scored"), "at_risk": summary.get("at_risk"), "audience": summary.get("audience"),
              "control": summary.get("control"), "max_feature_psi": drift.get("max_psi"),
              "backtest_precision": backtest.get("precision"), "backtest_recall": backtest.get("recall"),
              "backtest_lift": backtest.get("lift")}
    numbers = {k: float(v) for k, v in values.items()
               if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)}
    metrics.add_metric(name="AudienceSize", unit=MetricUnit.Count, value=numbers.get("audience", 0))
    metrics.add_metric(name="MaxFeaturePsi", unit=MetricUnit.NoUnit, value=numbers.get("max_feature_psi", 0))
    if backtest.get("available"):
        metrics.add_metric(name="BacktestLift", unit=MetricUnit.NoUnit, value=numbers["backtest_lift"])
        metrics.add_metric(name="BacktestPrecision", unit=MetricUnit.NoUnit, value=numbers["backtest_precision"])
    # Built and validated by the events contract, as the transform will read it (non-finite figures left out).
    event = custom_event(
        "predictive_segmentation.run", int(datetime.now(UTC).timestamp() * 1000), app_id=APP_ID,
        attributes={"run_id": plan.run_id, "as_of": plan.as_of, "mode": plan.mode,
                    "model_version": str(summary.get("model_version", "")),
                    "drifted_features": ",".join(t["feature"] for t in drift.get("top", []) if t["psi"] >= 0.25)},
        metrics=numbers)
    if config.events_stream:
        firehose.put_record(DeliveryStreamName=config.events_stream,
                            Record={"Data": (json.dumps(event) + "\n").encode()})
    return {"event": event, "sent": bool(config.events_stream)}


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = Event.model_validate(event)
    config = settings()
    s3 = boto3.client("s3")
    if request.action == "score":
        return score(request.plan, config, s3)
    if request.action == "publish":
        return publish(request.plan, config, s3, boto3.client("dynamodb"))
    if request.action == "customer_profiles":
        return export_customer_profiles(request.plan, config, s3, boto3.client("customer-profiles"))
    return emit_summary(request.plan, request.summary, config, boto3.client("firehose"))

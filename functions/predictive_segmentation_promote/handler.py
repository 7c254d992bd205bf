"""The quality gate's enforcement: promote a trained model only if its gate passed; otherwise keep the current one.

Two actions, around the state machine's CreateModel task:

- `gate`: the training job (SageMaker, or the local run) wrote `model.tar.gz` (model, meta.json, gate.json,
  code/) and `output.tar.gz` (evaluation.json, report.html, pictures) under models/candidates/<job>/output/.
  Every candidate's gate, metadata and report are kept in the registry (models/registry/<version>/), promoted
  or not, so a refusal can be read. A passing model is also copied there as model.tar.gz (immutable per
  version) for the SageMaker Model the state machine creates next.
- `activate`: after that Model exists, models/current/meta.json names it; scoring runs read that pointer, so
  until then (or after a refusal) they keep using the previous model. Then this stack's older Models beyond the
  newest MODELS_RETAINED are deleted (retention.py); a failure there is logged and counted (metric
  ModelCleanupFailed), never a failed promotion, since the new model is already active.

Models are named `<MODEL_NAME_PREFIX><version>`; the prefix identifies the stack (components/.../access.py).
"""
from __future__ import annotations

import io
import json
import os
import tarfile
from typing import Any, Literal

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from contracts import churn_scores

from . import retention

logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "EngagementPredictiveSegmentation"))
REPORT_FILES = (".html", ".svg", ".json")


class PromotionError(RuntimeError):
    pass


class Plan(BaseModel):
    training_job: str = Field(pattern=r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")
    model_version: str = Field(pattern=r"^[a-z0-9-]{1,40}$")


class Event(BaseModel):
    action: Literal["gate", "activate"] = "gate"
    plan: Plan


class Settings(BaseModel):
    bucket: str = Field(alias="BUCKET")
    model_name_prefix: str = Field(alias="MODEL_NAME_PREFIX", pattern=r"^[a-zA-Z0-9][a-zA-Z0-9-]{0,20}-$")
    models_retained: int = Field(3, alias="MODELS_RETAINED", ge=2)


def settings() -> Settings:
    return Settings.model_validate(dict(os.environ))


def model_name(prefix: str, version: str) -> str:
    return f"{prefix}{version}"


def _members(data: bytes) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        return {m.name.removeprefix("./"): archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}


def promote(plan: Plan, config: Settings, s3: Any) -> dict[str, Any]:
    bucket = config.bucket
    base = f"{churn_scores.CANDIDATES_PREFIX}{plan.training_job}/output/"
    try:
        model = _members(s3.get_object(Bucket=bucket, Key=f"{base}model.tar.gz")["Body"].read())
    except s3.exceptions.NoSuchKey as error:
        raise PromotionError(f"training job {plan.training_job} left no model at s3://{bucket}/{base}model.tar.gz") \
            from error
    if "gate.json" not in model or "meta.json" not in model:
        raise PromotionError(f"{base}model.tar.gz has no gate.json/meta.json: not written by training/churn")
    gate, meta = json.loads(model["gate.json"]), json.loads(model["meta.json"])
    version = meta["model_version"]
    registry = f"{churn_scores.REGISTRY_PREFIX}{version}/"
    try:
        report = _members(s3.get_object(Bucket=bucket, Key=f"{base}output.tar.gz")["Body"].read())
    except s3.exceptions.NoSuchKey:
        report = {}
    for name, data in report.items():
        if name.endswith(REPORT_FILES) and "/" not in name:
            content_type = {"html": "text/html", "svg": "image/svg+xml"}.get(name.rsplit(".", 1)[-1], "application/json")
            s3.put_object(Bucket=bucket, Key=f"{registry}{name}", Body=data, ContentType=content_type)
    s3.put_object(Bucket=bucket, Key=f"{registry}gate.json", Body=model["gate.json"], ContentType="application/json")
    s3.put_object(Bucket=bucket, Key=f"{registry}meta.json", Body=model["meta.json"], ContentType="application/json")
    if not gate.get("passed"):
        metrics.add_metric(name="PromotionRefused", unit=MetricUnit.Count, value=1)
        logger.warning("model refused by the quality gate", extra={"version": version, "reasons": gate["reasons"]})
        return {"promoted": False, "model_version": version, "reasons": gate["reasons"], "pr_auc": gate["pr_auc"],
                "report": f"s3://{bucket}/{registry}report.html"}
    s3.copy_object(Bucket=bucket, Key=f"{registry}model.tar.gz",
                   CopySource={"Bucket": bucket, "Key": f"{base}model.tar.gz"})
    metrics.add_metric(name="PromotionRefused", unit=MetricUnit.Count, value=0)
    return {"promoted": True, "model_version": version, "reasons": [], "pr_auc": gate["pr_auc"],
            "model_name": model_name(config.model_name_prefix, version),
            "model_data_url": f"s3://{bucket}/{registry}model.tar.gz",
            "report": f"s3://{bucket}/{registry}report.html"}


def activate(plan: Plan, config: Settings, s3: Any, sagemaker: Any) -> dict[str, Any]:
    """Point scoring at the registered version (its SageMaker Model was created just before), then prune."""
    bucket = config.bucket
    registry = f"{churn_scores.REGISTRY_PREFIX}{plan.model_version}/"
    meta = json.loads(s3.get_object(Bucket=bucket, Key=f"{registry}meta.json")["Body"].read())
    gate = json.loads(s3.get_object(Bucket=bucket, Key=f"{registry}gate.json")["Body"].read())
    if not gate.get("passed"):
        raise PromotionError(f"model {plan.model_version} did not pass the quality gate; it cannot be activated")
    meta["sagemaker_model"] = model_name(config.model_name_prefix, plan.model_version)
    s3.put_object(Bucket=bucket, Key=churn_scores.CURRENT_META_KEY, Body=json.dumps(meta).encode(),
                  ContentType="application/json")
    return {"active": plan.model_version, "sagemaker_model": meta["sagemaker_model"],
            **prune_models(config, sagemaker, meta["sagemaker_model"])}


def prune_models(config: Settings, sagemaker: Any, current: str) -> dict[str, Any]:
    try:
        pruned = retention.prune(sagemaker, config.model_name_prefix, config.models_retained, current)
    except Exception:  # noqa: BLE001 - the new model is active; a leftover Model only costs a listing entry
        logger.exception("old SageMaker Models were not deleted; the next promotion retries",
                         extra={"prefix": config.model_name_prefix})
        metrics.add_metric(name="ModelCleanupFailed", unit=MetricUnit.Count, value=1)
        return {"models_kept": None, "models_deleted": None}
    metrics.add_metric(name="ModelCleanupFailed", unit=MetricUnit.Count, value=0)
    logger.info("old SageMaker Models deleted", extra={"kept": pruned.kept, "deleted": pruned.deleted})
    return {"models_kept": pruned.kept, "models_deleted": pruned.deleted}


@metrics.log_metrics
@tracer.capture_lambda_handler
@logger.inject_lambda_context
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    request = Event.model_validate(event)
    config = settings()
    s3 = boto3.client("s3")
    if request.action == "activate":
        return activate(request.plan, config, s3, boto3.client("sagemaker"))
    return promote(request.plan, config, s3)

"""Retention of the SageMaker Models of promoted versions, on the real handler against moto (S3 + SageMaker):
each promotion goes gate -> CreateModel (as the state machine calls it) -> activate, and activate deletes this
stack's Models beyond the newest MODELS_RETAINED, never the active one and never another stack's.

moto's ListModels ignores NameContains and SortBy and returns every Model: the handler's own prefix check and
sort are what these tests hold (in AWS the filter narrows the listing first)."""
from __future__ import annotations

import boto3
import pytest
from promote_setup import BUCKET, PREFIX, _call, _candidate, _current

ROLE = "arn:aws:iam::123456789012:role/segmentation-model-role"
OTHER_STACK = "churn-9876543210-"


def _create_model(name: str) -> None:
    boto3.client("sagemaker").create_model(
        ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer={
            "Image": "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:3.0-5",
            "ModelDataUrl": f"s3://{BUCKET}/models/registry/x/model.tar.gz"})


def _models() -> set[str]:
    return {m["ModelName"] for m in boto3.client("sagemaker").list_models()["Models"]}


def _promote(s3, version: str, lambda_context) -> dict:
    job = f"churn-train-{version}"
    _candidate(s3, job, version, passed=True)
    gated = _call("gate", job, version, lambda_context)
    _create_model(gated["model_name"])  # the state machine's CreateModel task
    return _call("activate", job, version, lambda_context)


def test_five_promotions_keep_the_three_newest_and_never_another_stacks(s3, lambda_context):
    foreign = {f"{OTHER_STACK}20260101t030000z-aaaa", f"x-{PREFIX}20260101t030000z-bbbb"}  # the latter *contains*
    for name in foreign:
        _create_model(name)
    versions = [f"2026120{day}t030000z-0000000{day}" for day in range(1, 6)]
    for index, version in enumerate(versions):
        result = _promote(s3, version, lambda_context)
        expected = {f"{PREFIX}{v}" for v in versions[max(0, index - 2):index + 1]}
        assert _models() == expected | foreign, f"after promotion {index + 1}"
        assert result["sagemaker_model"] == f"{PREFIX}{version}" in result["models_kept"]
        # Each older Model is deleted once, by the promotion that pushes it out of the newest three.
        assert result["models_deleted"] == ([f"{PREFIX}{versions[index - 3]}"] if index >= 3 else [])
        assert _current(s3)["sagemaker_model"] == f"{PREFIX}{version}"


def test_a_rollback_to_an_older_version_keeps_it_and_the_newest_others(s3, lambda_context):
    versions = [f"2026120{day}t030000z-0000000{day}" for day in range(1, 5)]
    for version in versions:
        _promote(s3, version, lambda_context)
    # A rollback: the version before the newest becomes active again (its Model still exists).
    result = _call("activate", f"churn-train-{versions[1]}", versions[1], lambda_context)
    assert result["sagemaker_model"] == f"{PREFIX}{versions[1]}"
    assert _models() == {f"{PREFIX}{v}" for v in (versions[1], versions[2], versions[3])}


def test_a_failed_deletion_does_not_fail_the_promotion(s3, lambda_context, monkeypatch):
    from functions.predictive_segmentation_promote import handler, retention

    versions = [f"2026120{day}t030000z-0000000{day}" for day in range(1, 5)]
    for version in versions[:3]:
        _promote(s3, version, lambda_context)
    counted: list[tuple[str, float]] = []
    real_add = handler.metrics.add_metric
    monkeypatch.setattr(handler.metrics, "add_metric", lambda name, unit, value, **kw: (
        counted.append((name, value)), real_add(name=name, unit=unit, value=value, **kw)))

    def refuse(*_args, **_kwargs):
        raise RuntimeError("AccessDenied: sagemaker:DeleteModel")

    monkeypatch.setattr(retention, "prune", refuse)
    result = _promote(s3, versions[3], lambda_context)
    assert result["sagemaker_model"] == f"{PREFIX}{versions[3]}" and result["models_deleted"] is None
    assert _current(s3)["model_version"] == versions[3]  # the new model is active
    assert len(_models()) == 4  # nothing deleted, retried by the next promotion
    assert ("ModelCleanupFailed", 1) in counted and ("ModelCleanupFailed", 0) not in counted


@pytest.mark.parametrize("keep", [0, 1])
def test_fewer_than_two_retained_is_refused(keep):
    from functions.predictive_segmentation_promote import retention

    with pytest.raises(ValueError, match="at least 2"):
        retention.prune(object(), PREFIX, keep, f"{PREFIX}v1")

"""The quality gate enforced: a passing model is registered and activated after its SageMaker Model exists; a
refused one is registered with its report but never becomes current, and the previous model stays."""
from __future__ import annotations

import io
import json
import tarfile

import boto3
import pytest
from moto import mock_aws

from contracts import churn_scores

BUCKET = "seg"


def _tar(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _candidate(s3, job: str, version: str, passed: bool) -> None:
    gate = {"passed": passed, "reasons": [] if passed else ["hold-out PR-AUC 0.120 is below the floor 0.3"],
            "pr_auc": 0.7 if passed else 0.12}
    base = f"{churn_scores.CANDIDATES_PREFIX}{job}/output/"
    s3.put_object(Bucket=BUCKET, Key=base + "model.tar.gz", Body=_tar({
        "model.ubj": b"model", "gate.json": json.dumps(gate).encode(),
        "meta.json": json.dumps({"model_version": version, "threshold": 0.4}).encode()}))
    s3.put_object(Bucket=BUCKET, Key=base + "output.tar.gz", Body=_tar({
        "report.html": b"<html>", "pr.svg": b"<svg/>", "evaluation.json": b"{}", "../escape.html": b"x"}))


@pytest.fixture
def s3(monkeypatch):
    for name, value in {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t",
                        "BUCKET": BUCKET, "POWERTOOLS_TRACE_DISABLED": "true"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        yield client


def _call(action, job, version, lambda_context):
    from functions.predictive_segmentation_promote.handler import lambda_handler

    return lambda_handler({"action": action, "plan": {"training_job": job, "model_version": version}},
                          lambda_context)


def _current(s3):
    return json.loads(s3.get_object(Bucket=BUCKET, Key=churn_scores.CURRENT_META_KEY)["Body"].read())


def test_passing_model_is_registered_then_activated(s3, lambda_context):
    _candidate(s3, "churn-train-a", "v1", passed=True)
    result = _call("gate", "churn-train-a", "v1", lambda_context)
    assert result["promoted"] and result["model_name"] == "churn-v1"
    assert result["model_data_url"] == f"s3://{BUCKET}/models/registry/v1/model.tar.gz"
    assert s3.get_object(Bucket=BUCKET, Key="models/registry/v1/report.html")["ContentType"] == "text/html"
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET, Prefix="models/current/")  # not before CreateModel
    assert _call("activate", "churn-train-a", "v1", lambda_context)["sagemaker_model"] == "churn-v1"
    assert _current(s3)["model_version"] == "v1"


def test_refused_model_is_kept_for_reading_but_the_previous_one_stays_current(s3, lambda_context):
    _candidate(s3, "churn-train-a", "v1", passed=True)
    _call("gate", "churn-train-a", "v1", lambda_context)
    _call("activate", "churn-train-a", "v1", lambda_context)
    _candidate(s3, "churn-train-b", "v2", passed=False)
    result = _call("gate", "churn-train-b", "v2", lambda_context)
    assert not result["promoted"] and "below the floor" in result["reasons"][0]
    assert json.loads(s3.get_object(Bucket=BUCKET, Key="models/registry/v2/gate.json")["Body"].read())["passed"] \
        is False
    assert _current(s3)["model_version"] == "v1"
    with pytest.raises(Exception, match="did not pass the quality gate"):
        _call("activate", "churn-train-b", "v2", lambda_context)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert not any("escape" in key for key in keys)  # archive paths never become keys outside the registry


def test_a_job_that_left_no_model_is_a_clear_error(s3, lambda_context):
    with pytest.raises(Exception, match="left no model"):
        _call("gate", "churn-train-x", "v9", lambda_context)

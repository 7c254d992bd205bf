"""The quality gate enforced: a passing model is registered and activated after its SageMaker Model exists; a
refused one is registered with its report but never becomes current, and the previous model stays."""
from __future__ import annotations

import json

import pytest


from promote_setup import BUCKET, PREFIX, _call, _candidate, _current


def test_passing_model_is_registered_then_activated(s3, lambda_context):
    _candidate(s3, "churn-train-a", "v1", passed=True)
    result = _call("gate", "churn-train-a", "v1", lambda_context)
    assert result["promoted"] and result["model_name"] == f"{PREFIX}v1"
    assert result["model_data_url"] == f"s3://{BUCKET}/models/registry/v1/model.tar.gz"
    assert s3.get_object(Bucket=BUCKET, Key="models/registry/v1/report.html")["ContentType"] == "text/html"
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET, Prefix="models/current/")  # not before CreateModel
    assert _call("activate", "churn-train-a", "v1", lambda_context)["sagemaker_model"] == f"{PREFIX}v1"
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

"""Planning a run: dates from the schedule (never the clock), bound UNLOAD queries, run ids, job names, the
history check before training, an emptied run prefix, and bad input refused."""
from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws
from pydantic import ValidationError

from contracts import churn_scores
from contracts.churn_features import AttributeSpec, FeatureSpec, FeatureSpecError
from tools.churn_features_local import rendered_sql
from tools.sample_customers import SEED_COLUMNS

SPEC = FeatureSpec(AttributeSpec(SEED_COLUMNS, "Id", "Attributes.Churn", SEED_COLUMNS[3:-1], (), "Address"))


@pytest.fixture
def s3(monkeypatch):
    for name, value in {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t",
                        "BUCKET": "seg", "FEATURE_SQL_KEY": "pipeline/features.sql",
                        "FEATURE_SPEC": json.dumps(SPEC.to_json()), "LABEL_WINDOW_DAYS": "30",
                        "EVENTS_BUCKET": "lake", "JOB_NAME_PREFIX": "churn-0123456789-",
                        "POWERTOOLS_TRACE_DISABLED": "true"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket="seg")
        client.create_bucket(Bucket="lake")
        client.put_object(Bucket="seg", Key="pipeline/features.sql", Body=rendered_sql(SPEC).encode())
        yield client


def _events(s3, *days):
    # Where Firehose writes delivery events in the events contract's layout (channel / kind / dt).
    from contracts.events import partition_prefix

    for day in days:
        s3.put_object(Bucket="lake", Key=f"{partition_prefix('email', 'delivery')}dt={day}/part.parquet", Body=b"x")


def _plan(event, lambda_context):
    from functions.predictive_segmentation_prepare.handler import lambda_handler

    return lambda_handler(event, lambda_context)


def test_scheduled_scoring_run_is_planned_from_the_scheduled_time(s3, lambda_context):
    s3.put_object(Bucket="seg", Key=churn_scores.CURRENT_META_KEY, Body=json.dumps({"sagemaker_model": "churn-v1"}))
    plan = _plan({"request": {"mode": "score", "scheduled_time": "2026-12-06T03:00:00Z"}, "execution": "e-1"},
                 lambda_context)
    assert (plan["run_id"], plan["as_of"], plan["training_as_of"]) == ("20261206T030000Z-score", "2026-12-06",
                                                                       "2026-11-06")
    assert plan["has_model"] and not plan["needs_training"] and plan["model_name"] == "churn-v1"
    assert plan["feature_query"].startswith("UNLOAD (")
    assert "TO 's3://seg/runs/20261206T030000Z-score/features/' WITH (format = 'JSON', compression = 'GZIP')" \
        in plan["feature_query"]
    assert "'2026-12-06'" in plan["feature_query"] and "'2026-09-07'" in plan["feature_query"]  # 90-day history
    assert "${" not in plan["feature_query"] + plan["training_query"]
    # under the stack's prefix, which is all the state machine's role may start, describe or stop
    assert plan["transform_job"].startswith("churn-0123456789-score-20261206t030000z-")
    assert plan["training_job"].startswith("churn-0123456789-train-20261206t030000z-")
    assert max(len(plan["transform_job"]), len(plan["training_job"])) <= 63  # SageMaker's limit


def test_a_replay_plans_the_same_run_with_new_job_names_and_an_emptied_prefix(s3, lambda_context):
    _events(s3, "2026-01-01")
    first = _plan({"request": {"mode": "retrain", "as_of": "2026-06-01"}, "execution": "a"}, lambda_context)
    s3.put_object(Bucket="seg", Key="runs/20260601T000000Z-retrain/training/old.gz", Body=b"stale")
    second = _plan({"request": {"mode": "retrain", "as_of": "2026-06-01"}, "execution": "b"}, lambda_context)
    assert first["run_id"] == second["run_id"] and first["training_job"] != second["training_job"]
    assert "Contents" not in s3.list_objects_v2(Bucket="seg", Prefix="runs/")  # UNLOAD needs an empty target


def test_training_without_enough_history_is_refused_with_the_fix(s3, lambda_context):
    _events(s3, "2026-05-20", "2026-05-21")
    with pytest.raises(FeatureSpecError, match="email events start on 2026-05-20, but training as of 2026-06-01 "
                                               "needs events from 2026-05-02"):
        _plan({"request": {"mode": "retrain", "as_of": "2026-06-01"}}, lambda_context)


def test_first_scoring_run_trains_first(s3, lambda_context):
    _events(s3, "2026-01-01")
    plan = _plan({"request": {"mode": "score", "as_of": "2026-06-01"}}, lambda_context)
    assert plan["needs_training"] and not plan["has_model"] and plan["model_name"] == ""


@pytest.mark.parametrize("event", [{"request": {"mode": "score"}},
                                   {"request": {"mode": "delete", "as_of": "2026-06-01"}},
                                   {"request": {"mode": "score", "as_of": "June 1st"}},
                                   {"request": {"mode": "score", "as_of": "2026-06-01"}, "execution": "x" * 200}])
def test_bad_input_is_refused(s3, lambda_context, event):
    with pytest.raises(ValidationError):
        _plan(event, lambda_context)


def test_scoring_queries_unload_the_companion_and_the_drift_of_the_active_model(s3, lambda_context):
    profile = {"open_count_30d": {"edges": [1.0, 3.0], "shares": [0.3, 0.3, 0.4, 0.0]}, "channeltype=SMS": {}}
    s3.put_object(Bucket="seg", Key=churn_scores.CURRENT_META_KEY,
                  Body=json.dumps({"sagemaker_model": "churn-v2", "model_version": "v2", "profile": profile}))
    queries = _plan({"action": "scoring_queries", "plan": {"run_id": "20261206T030000Z-score", "mode": "score"}},
                    lambda_context)
    assert queries["model_version"] == "v2"
    assert queries["companion_query"].endswith("TO 's3://seg/runs/20261206T030000Z-score/companion/' WITH "
                                               "(format = 'PARQUET', compression = 'SNAPPY')")
    assert "TO 's3://seg/runs/20261206T030000Z-score/drift/'" in queries["drift_query"]
    assert "WHERE run_id = '20261206T030000Z-score'" in queries["drift_query"]
    assert "CAST('3.0' AS DOUBLE)" in queries["drift_query"] and "channeltype" not in queries["drift_query"]


def test_scoring_queries_need_a_promoted_model_and_a_valid_run(s3, lambda_context):
    with pytest.raises(ValueError, match="no promoted model"):
        _plan({"action": "scoring_queries", "plan": {"run_id": "20261206T030000Z-score"}}, lambda_context)
    with pytest.raises(ValidationError):
        _plan({"action": "scoring_queries", "plan": {"run_id": "x'; DROP TABLE t; --"}}, lambda_context)

"""The pipeline's state machine executed by moto's interpreter, end to end and through its failure paths.

Generated customers and SES/app events with a planted churn signal go through the real events transform into a
lake; the definition the component deploys runs with the three real Lambda handlers; Athena's UNLOAD runs on
DuckDB and SageMaker's jobs run the real training and inference programs (tools/churn_emulation.py). Athena
executions progress QUEUED -> RUNNING -> SUCCEEDED one poll at a time (moto's state manager), so the bounded
polls really loop.
"""
from __future__ import annotations

import json
from datetime import date

import duckdb
import pytest

from components import asl
from components.config import PredictiveSegmentationSettings
from components.predictive_segmentation import pipeline
from tools.churn_local import build_lake, fast_timings, local_resources, run_pipeline
from tools.sample_customers import make_customers, make_events, write_customers

LABELS_AT = date(2026, 7, 1)
PR_AUC_FLOOR = 0.4  # stated: the planted signal must clear it on the hold-out of 700 generated customers


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("churn-pipeline")
    customers = make_customers(700)
    attributes = write_customers(customers, folder / "customers.csv")
    ok, failed = build_lake(make_events(customers, LABELS_AT, days=100), folder / "lake")
    assert ok > 5_000 and failed == 0
    return attributes, folder / "lake"


@pytest.fixture
def athena_progression():
    from moto.moto_api import state_manager

    state_manager.set_transition(model_name="athena::execution", transition={"progression": "manual", "times": 1})
    yield
    state_manager.unset_transition("athena::execution")


def _settings(**values) -> PredictiveSegmentationSettings:
    fields = PredictiveSegmentationSettings.model_fields
    return PredictiveSegmentationSettings.model_validate({fields[k].alias: v for k, v in values.items()})


def promotion_profile(result) -> dict:
    return json.loads((result.files["run"].parent / "model" / result.output["promotion"]["Payload"]["model_version"]
                       / "meta.json").read_text())["profile"]


def _run(inputs, tmp_path, **settings):
    attributes, lake = inputs
    return run_pipeline(attributes, lake, LABELS_AT, _settings(**settings), tmp_path)


def test_deployed_definition_passes_statelint():
    arns = {name: f"arn:aws:lambda:us-east-1:123456789012:function:{name}" for name in ("prepare", "postprocess",
                                                                                        "promote")}
    definition = pipeline.definition(local_resources(arns, PredictiveSegmentationSettings()))
    assert asl.lint(definition) == []
    with_profiles = pipeline.definition(pipeline.PipelineResources(
        **{**local_resources(arns, PredictiveSegmentationSettings()).__dict__, "customer_profiles": True}))
    assert asl.lint(with_profiles) == [] and "CustomerProfiles" in with_profiles["States"]
    assert definition["TimeoutSeconds"] == pipeline.PipelineTimings().execution_timeout_seconds


def test_first_scoring_run_trains_through_the_gate_then_scores_everyone(inputs, tmp_path, athena_progression):
    result = _run(inputs, tmp_path)
    assert result.status == "SUCCEEDED", (result.error, result.cause)
    output = result.output
    promotion = output["promotion"]["Payload"]
    assert promotion["promoted"] and promotion["pr_auc"] >= PR_AUC_FLOOR
    assert output["features"]["poll"]["count"] >= 2  # QUEUED, RUNNING, SUCCEEDED: the poll looped
    assert output["companion"]["poll"]["count"] >= 2 and output["drift"]["poll"]["count"] >= 2
    summary = output["score"]["Payload"]
    # drift over every numeric feature of the model trained in this run, from the histogram Athena unloaded
    assert summary["drift"]["features"] == len([n for n in promotion_profile(result) if "=" not in n]) > 10
    assert summary["scored"] == 700 and summary["model_version"] == promotion["model_version"]
    assert output["publish"]["Payload"] == {"written": 700, "unchanged": 0, "skipped_newer": 0, "promoted": True}
    assert output["summary"]["Payload"]["sent"] is True
    assert output["profile_store_items"] == 701  # one item per customer and the run pointer
    scores = duckdb.connect().sql(f"SELECT count(*), count(*) FILTER (WHERE in_audience) FROM '{result.files['scores']}'")
    assert scores.fetchall() == [(700, summary["audience"])]
    assert result.files["report"].read_text().count("<img") == 5


def test_a_model_below_the_floor_is_refused_and_nothing_is_scored(inputs, tmp_path):
    result = _run(inputs, tmp_path, minimum_pr_auc_percent=99)
    assert (result.status, result.error) == ("FAILED", "QualityGateRefused")
    assert "below the floor 0.99" in json.loads(result.cause)["reasons"][0]
    assert "scores" not in result.files and "score" not in (result.output or {})


def test_too_few_churners_fail_the_training_job_with_the_reason(inputs, tmp_path):
    result = _run(inputs, tmp_path, minimum_positives=5000)
    assert (result.status, result.error) == ("FAILED", "TrainFailed")
    assert '"TrainingJobStatus":"Failed"' in result.cause


def test_a_failed_feature_query_fails_the_run(inputs, tmp_path):
    attributes, lake = inputs
    broken = tmp_path / "customers.csv"
    broken.write_text(attributes.read_text().replace("Attributes.UsageWeekends", "Attributes.Renamed"))
    rename = lambda columns: tuple(c.replace("Attributes.UsageWeekends", "Attributes.Renamed") for c in columns)  # noqa: E731
    defaults = PredictiveSegmentationSettings()
    settings = _settings(attribute_columns=rename(defaults.attribute_columns),
                         numeric_columns=rename(defaults.numeric_columns))
    from tools import churn_features_local

    original = churn_features_local.rendered_sql
    try:  # the deployed SQL still names the old column, as after a CRM export changed under a running stack
        churn_features_local.rendered_sql = lambda spec, *a: original(PredictiveSegmentationSettings().feature_spec())
        result = run_pipeline(broken, lake, LABELS_AT, settings, tmp_path / "out")
    finally:
        churn_features_local.rendered_sql = original
    assert (result.status, result.error) == ("FAILED", "TrainingFeaturesFailed")
    assert '"State":"FAILED"' in result.cause


def test_a_failed_transform_job_fails_the_run_and_publishes_nothing(inputs, tmp_path, monkeypatch):
    from moto.sagemaker.models import FakeTransformJob

    original = FakeTransformJob.__init__

    def failing(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.transform_job_status = "Failed"

    monkeypatch.setattr(FakeTransformJob, "__init__", failing)
    result = _run(inputs, tmp_path)
    assert (result.status, result.error) == ("FAILED", "TransformFailed")
    assert "scores" not in result.files and "publish" not in (result.output or {})

"""Post-processing against moto (S3, DynamoDB, Firehose) on batch-transform output the real inference wrote."""
from __future__ import annotations

import base64
import csv
import io
import json

import boto3
import pytest
from postprocess_setup import AS_OF_1, AS_OF_2, BUCKET, RUN_1, RUN_2, SPEC, STREAM, TABLE, invoke, parquet_rows, \
    stage_run

from contracts import churn_scores
from contracts import profile_store as store
from functions.predictive_segmentation_postprocess import storage
from functions.predictive_segmentation_postprocess.scoring import ScoringError
from tools.sample_customers import feature_rows


@pytest.fixture
def rows():
    return feature_rows(SPEC, 400, seed=9)


def test_score_enriches_every_customer_and_writes_history_and_audience(aws, trained, rows, lambda_context):
    stage_run(aws, trained, RUN_1, rows)
    summary = invoke("score", RUN_1, AS_OF_1, lambda_context)
    scores = {r["customer_id"]: r for r in parquet_rows(aws, churn_scores.history_key(AS_OF_1))}
    threshold = trained[1]["threshold"]
    assert len(scores) == summary["scored"] == 400 and summary["model_version"] == "v-postprocess"
    assert [name for name, _ in churn_scores.SCORE_COLUMNS] == list(next(iter(scores.values())))
    for customer_id, row in scores.items():
        assert row["at_risk"] == (row["score"] >= threshold)
        assert row["control"] == (row["at_risk"] and churn_scores.is_control(customer_id, "salt-1", 0.2))
        assert row["in_audience"] == (row["at_risk"] and not row["control"])
        assert row["risk_band"] == churn_scores.risk_band(row["score"], row["percentile"], threshold, 0.8)
        assert 1 <= len(row["top_features"]) <= 3 and (row["run_id"], row["as_of"]) == (RUN_1, AS_OF_1)
    audience = list(csv.DictReader(io.StringIO(aws.get_object(
        Bucket=BUCKET, Key=churn_scores.audience_history_key(AS_OF_1))["Body"].read().decode())))
    assert {a["customer_id"] for a in audience} == {c for c, r in scores.items() if r["in_audience"]}
    assert list(audience[0]) == list(churn_scores.AUDIENCE_COLUMNS) and len(audience) == summary["audience"]
    assert summary["at_risk"] == summary["audience"] + summary["control"] > 0
    assert summary["backtest"] == {"available": False}
    assert summary["drift"]["max_psi"] < 0.25 and summary["drift"]["features"] > 10


def test_publish_writes_the_profile_store_then_latest(aws, trained, rows, lambda_context):
    stage_run(aws, trained, RUN_1, rows)
    invoke("score", RUN_1, AS_OF_1, lambda_context)
    result = invoke("publish", RUN_1, AS_OF_1, lambda_context)
    assert result == {"written": 400, "unchanged": 0, "skipped_newer": 0, "promoted": True}
    dynamodb = boto3.client("dynamodb")
    profile = store.read_profile(dynamodb, TABLE, rows[0]["customer_id"])[churn_scores.NAMESPACE]
    scored = {r["customer_id"]: r for r in parquet_rows(aws, churn_scores.LATEST_KEY)}[rows[0]["customer_id"]]
    assert profile.run_id == RUN_1 and profile.attributes == churn_scores.profile_attributes(scored)
    assert parquet_rows(aws, churn_scores.LATEST_KEY) == parquet_rows(aws, churn_scores.history_key(AS_OF_1))
    again = invoke("publish", RUN_1, AS_OF_1, lambda_context)  # a retry of the same step is harmless
    assert (again["written"], again["unchanged"], again["promoted"]) == (0, 400, True)


def test_a_failed_publish_leaves_the_previous_run_everywhere(aws, trained, rows, lambda_context, monkeypatch):
    stage_run(aws, trained, RUN_1, rows)
    invoke("score", RUN_1, AS_OF_1, lambda_context)
    invoke("publish", RUN_1, AS_OF_1, lambda_context)
    stage_run(aws, trained, RUN_2, feature_rows(SPEC, 400, seed=10))
    invoke("score", RUN_2, AS_OF_2, lambda_context)
    monkeypatch.setenv("PROFILE_TABLE", "no-such-table")  # DynamoDB fails mid-run
    with pytest.raises(Exception, match="ResourceNotFound|not found|does not exist"):
        invoke("publish", RUN_2, AS_OF_2, lambda_context)
    assert {r["run_id"] for r in parquet_rows(aws, churn_scores.LATEST_KEY)} == {RUN_1}
    profile = store.read_profile(boto3.client("dynamodb"), TABLE, rows[0]["customer_id"])
    assert profile[churn_scores.NAMESPACE].run_id == RUN_1


def test_backtest_compares_scores_of_one_label_window_ago_with_todays_labels(aws, trained, rows, lambda_context):
    stage_run(aws, trained, RUN_1, rows)
    invoke("score", RUN_1, AS_OF_1, lambda_context)
    earlier = {r["customer_id"]: r for r in parquet_rows(aws, churn_scores.history_key(AS_OF_1))}
    flagged = sorted(c for c, r in earlier.items() if r["at_risk"] and r["label_at_scoring"] == 0)
    churned_now = set(flagged[: len(flagged) // 2]) | {sorted(earlier)[0]}
    today = [dict(r, label="1" if r["customer_id"] in churned_now else r["label"]) for r in rows]
    stage_run(aws, trained, RUN_2, today)
    backtest = invoke("score", RUN_2, AS_OF_2, lambda_context)["backtest"]
    still_customers = [c for c, r in earlier.items() if r["label_at_scoring"] == 0]
    outcome = {c for c in still_customers if c in churned_now}
    hits = sum(1 for c in outcome if earlier[c]["at_risk"])
    flagged_count = sum(1 for c in still_customers if earlier[c]["at_risk"])
    assert backtest["available"] and backtest["scored_on"] == AS_OF_1
    assert (backtest["customers"], backtest["churned"], backtest["flagged"]) == (
        len(still_customers), len(outcome), flagged_count)
    assert backtest["precision"] == pytest.approx(hits / flagged_count)
    assert backtest["lift"] == pytest.approx((hits / flagged_count) / (len(outcome) / len(still_customers)))


def test_drift_is_reported_when_a_feature_shifts(aws, trained, rows, lambda_context):
    shifted = [dict(r, days_since_open=89.0, open_count_30d=0) for r in rows]
    stage_run(aws, trained, RUN_1, shifted)
    drift = invoke("score", RUN_1, AS_OF_1, lambda_context)["drift"]
    assert drift["max_psi"] > 0.25 and drift["top"][0]["feature"] in ("days_since_open", "open_count_30d")


@pytest.mark.parametrize("damage, message", [
    (lambda text: text + text.splitlines()[0] + "\n", "duplicate customer ids"),
    (lambda text: "\n".join(text.splitlines()[:-5]) + "\n", "scored 395 customers but the features hold 400"),
])
def test_transform_output_that_does_not_add_up_publishes_nothing(aws, trained, rows, lambda_context, damage,
                                                                   message):
    stage_run(aws, trained, RUN_1, rows, files=1)
    key = next(storage.list_keys(aws, BUCKET, churn_scores.run_prefixes(RUN_1)["transform"]))
    text = aws.get_object(Bucket=BUCKET, Key=key)["Body"].read().decode()
    aws.put_object(Bucket=BUCKET, Key=key, Body=damage(text).encode())
    with pytest.raises(ScoringError, match=message):
        invoke("score", RUN_1, AS_OF_1, lambda_context)
    assert not list(storage.list_keys(aws, BUCKET, "scores/"))


def test_scores_of_a_model_no_longer_current_publish_nothing(aws, trained, rows, lambda_context):
    """A model promoted while the transform ran: the transform's rows carry the old version (and the old
    model's feature names), meta.json the new one; the step reads them as text and refuses them."""
    stage_run(aws, trained, RUN_1, rows, files=1)
    newer = {**trained[1], "model_version": "v-newer", "feature_names": ["only_the_newer_models_feature"]}
    aws.put_object(Bucket=BUCKET, Key=churn_scores.CURRENT_META_KEY, Body=json.dumps(newer).encode())
    with pytest.raises(ScoringError, match="used model v-postprocess but v-newer is current"):
        invoke("score", RUN_1, AS_OF_1, lambda_context)
    assert not list(storage.list_keys(aws, BUCKET, "scores/"))


def test_no_promoted_model_is_a_clear_error(aws, lambda_context):
    with pytest.raises(ScoringError, match="no promoted model"):
        invoke("score", RUN_1, AS_OF_1, lambda_context)


def test_listing_follows_pagination(aws):
    for index in range(1005):
        aws.put_object(Bucket=BUCKET, Key=f"runs/x/transform/part-{index:05d}.out", Body=b"a")
    assert len(list(storage.list_keys(aws, BUCKET, "runs/x/transform/"))) == 1005


def test_summary_event_reaches_the_events_database_through_the_real_transform(aws, trained, rows, lambda_context):
    from functions.events_transform.handler import lambda_handler as events_transform

    stage_run(aws, trained, RUN_1, rows)
    summary = invoke("score", RUN_1, AS_OF_1, lambda_context)
    result = invoke("summary", RUN_1, AS_OF_1, lambda_context, summary=summary)
    assert result["sent"] is True
    delivered = b"".join(aws.get_object(Bucket="firehose-sink", Key=k)["Body"].read()
                         for k in storage.list_keys(aws, "firehose-sink", ""))
    request = {"invocationId": "i", "deliveryStreamArn": f"arn:aws:firehose:us-east-1:123456789012:deliverystream/{STREAM}",
               "records": [{"recordId": "1", "approximateArrivalTimestamp": 1780000000000,
                            "data": base64.b64encode(delivered).decode()}]}
    out, = events_transform(request, lambda_context)["records"]
    assert out["result"] == "Ok" and out["metadata"]["partitionKeys"]["channel"] == "custom"
    record = json.loads(base64.b64decode(out["data"]))
    assert record["event_type"] == "predictive_segmentation.run" and record["event_source"] == "app"
    assert record["tags"]["run_id"] == RUN_1 and record["metrics"]["scored"] == 400.0
    assert record["metrics"]["audience"] == float(summary["audience"])


def test_customer_profiles_step_only_sends_objects_of_the_declared_type(aws, trained, rows, lambda_context,
                                                                        monkeypatch):
    """The object type and the segment are the stack's (no PutProfileObjectType / segment calls): the Stubber
    accepts only BatchPutProfileObject into ChurnScore, and fails the test on anything else."""
    from botocore.stub import ANY, Stubber

    from contracts import churn_profiles
    from functions.predictive_segmentation_postprocess import handler

    stage_run(aws, trained, RUN_1, rows)
    summary = invoke("score", RUN_1, AS_OF_1, lambda_context)
    profiles = boto3.client("customer-profiles")
    sent: list[dict] = []
    with Stubber(profiles) as stubber:
        for _ in range(-(-summary["at_risk"] // 10)):
            stubber.add_response("batch_put_profile_object", {"Successful": [], "Failed": []}, {
                "DomainName": "engagement-prod", "ObjectTypeName": churn_profiles.OBJECT_TYPE, "Items": ANY})
        profiles.meta.events.register("provide-client-params.customer-profiles.BatchPutProfileObject",
                                      lambda params, **_: sent.extend(params["Items"]))
        real_client = boto3.client
        monkeypatch.setattr(handler.boto3, "client", lambda service, *a, **k: profiles
                            if service == "customer-profiles" else real_client(service, *a, **k))
        monkeypatch.setenv("CUSTOMER_PROFILES_DOMAIN", "engagement-prod")
        result = invoke("customer_profiles", RUN_1, AS_OF_1, lambda_context)
        stubber.assert_no_pending_responses()
    assert result == {"exported": summary["at_risk"], "enabled": True}
    objects = [json.loads(item["Object"]) for item in sent]
    assert len(objects) == summary["at_risk"] and all(set(o) <= set(churn_profiles.FIELDS) for o in objects)
    assert sum(o["churn_in_audience"] == "true" for o in objects) == summary["audience"]

"""The writer Lambda against moto (S3, DynamoDB, Firehose): batch output onto profiles, all or nothing.

Consent comes from the preference center's own table, written by its own code (functions/preference_api/store),
and the run summary goes through the real events transform, so both contracts are checked end to end.
"""
from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from contracts import personalize as contract
from contracts import profile_store
from functions.events_transform.normalize import transform_data
from functions.preference_api import store
from functions.predictive_engagement_writer import handler, settings
from tools import preference_seed

RUN, OLD_RUN = "20261206T040000Z", "20261205T040000Z"
MODEL = "arn:aws:personalize:us-east-1:123456789012:solution/engagement-dev-aws-user-personalization-v2/abc"
PREFIX = f"predictive-engagement/runs/{RUN}/"
DOC_EXAMPLE = (Path(__file__).parent / "personalize_batch_output.jsonl").read_text()
NAMES = preference_seed.Names()


@pytest.fixture
def aws(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1",
                       "PROFILE_TABLE": "profiles", "PREFERENCES_TABLE": NAMES.preferences_table,
                       "EVENTS_STREAM_NAME": NAMES.events_stream, "RECOMMENDATION_COUNT": "3",
                       "POWERTOOLS_TRACE_DISABLED": "true"}.items():
        monkeypatch.setenv(key, value)
    settings.reset()
    with mock_aws():
        s3, dynamodb = boto3.client("s3"), boto3.client("dynamodb")
        s3.create_bucket(Bucket="work")
        dynamodb.create_table(TableName="profiles", BillingMode="PAY_PER_REQUEST",
                              KeySchema=[{"AttributeName": profile_store.HASH_KEY, "KeyType": "HASH"},
                                         {"AttributeName": profile_store.RANGE_KEY, "KeyType": "RANGE"}],
                              AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"}
                                                    for k in (profile_store.HASH_KEY, profile_store.RANGE_KEY)])
        preference_seed.create_tables(dynamodb, NAMES)
        preference_seed.create_events_stream(s3, boto3.client("firehose"), NAMES)
        yield s3, dynamodb
    settings.reset()


def unsubscribe_all(dynamodb, user_id: str) -> None:
    """What the preference center stores when a user unsubscribes from everything (its own code)."""
    current = store.empty_preferences("default", user_id)
    store.save(dynamodb, (NAMES.preferences_table, NAMES.consent_table), current,
               {**current, "unsubscribed_all": True}, 0, store.RequestMeta(source="one_click"))


def stage(s3, users: list[str], output: str) -> dict:
    s3.put_object(Bucket="work", Key=f"{PREFIX}batch-input/users.jsonl",
                  Body="".join(contract.batch_input_line(u) for u in users).encode())
    s3.put_object(Bucket="work", Key=f"{PREFIX}batch-output/users.jsonl.out", Body=output.encode())
    return {"run_id": RUN, "model_version": MODEL, "batch_input_location": f"s3://work/{PREFIX}batch-input/users.jsonl",
            "batch_output_location": f"s3://work/{PREFIX}batch-output/"}


def lines(users: list[str]) -> str:
    return "".join(contract.output_line(u, [f"{u}-item-{i}" for i in range(5)], [0.5 - i / 10 for i in range(5)])
                   for u in users)


def profile(dynamodb, user: str):
    return profile_store.read_profile(dynamodb, "profiles", user).get(contract.NAMESPACE)


def test_personalize_documentation_example_is_written_onto_the_profile(aws, lambda_context):
    s3, dynamodb = aws
    result = handler.lambda_handler(stage(s3, ["4638"], DOC_EXAMPLE), lambda_context)
    assert result["written"] == 1 and result["status"] == "succeeded"
    written = profile(dynamodb, "4638")
    assert written.run_id == RUN
    assert written.attributes["recommended_items"] == ["63992", "115149", "2019"]  # RECOMMENDATION_COUNT=3
    assert written.attributes["model_version"] == MODEL


def test_unsubscribed_users_get_no_recommendations(aws, lambda_context):
    s3, dynamodb = aws
    unsubscribe_all(dynamodb, "u2")
    result = handler.lambda_handler(stage(s3, ["u1", "u2"], lines(["u1", "u2"])), lambda_context)
    assert result["suppressed_unsubscribed"] == 1
    assert profile(dynamodb, "u1").attributes["recommended_items"] == ["u1-item-0", "u1-item-1", "u1-item-2"]
    assert profile(dynamodb, "u2").attributes == {**profile(dynamodb, "u2").attributes, "recommended_items": [],
                                                  "suppressed": "unsubscribed_all"}


@pytest.mark.parametrize(("bad", "counted"), [
    ("{truncated\n", "1 malformed"),
    ('{"input":{"userId":"ghost"},"output":{"recommendedItems":["a"],"scores":[0.1]},"error":null}\n', "1 unknown user"),
    ('{"input":{},"output":{"recommendedItems":["a"],"scores":[0.1]},"error":null}\n', "1 no user"),
    ('{"input":{"userId":"u1"},"output":{"recommendedItems":[1,2],"scores":[0.1]},"error":null}\n', "1 malformed")])
def test_a_bad_output_line_refuses_the_whole_run_and_keeps_the_previous_one(aws, lambda_context, bad, counted):
    s3, dynamodb = aws
    profile_store.write_run(dynamodb, "profiles", contract.NAMESPACE, OLD_RUN,
                            [("u1", {"recommended_items": ["old"]}), ("u2", {"recommended_items": ["old"]})])
    profile_store.promote(dynamodb, "profiles", contract.NAMESPACE, OLD_RUN)
    with pytest.raises(Exception, match=f"batch output refused, nothing written: {counted} among 3 lines"):
        handler.lambda_handler(stage(s3, ["u1", "u2"], lines(["u1", "u2"]) + bad), lambda_context)
    assert profile(dynamodb, "u1").attributes == {"recommended_items": ["old"]}
    assert profile(dynamodb, "u1").run_id == OLD_RUN
    summary = preference_seed.read_events(s3, NAMES)[-1]
    assert summary["attributes"]["status"] == "refused"


def test_a_user_personalize_could_not_serve_is_skipped_not_fatal(aws, lambda_context):
    s3, dynamodb = aws
    error_line = '{"input":{"userId":"u2"},"output":null,"error":"User not found in the training data"}\n'
    result = handler.lambda_handler(stage(s3, ["u1", "u2"], lines(["u1"]) + error_line), lambda_context)
    assert result["problems"] == {"job_error": 1} and result["written"] == 1
    assert profile(dynamodb, "u2") is None


def test_a_crash_half_way_leaves_readers_on_the_previous_run(aws, monkeypatch, lambda_context):
    s3, dynamodb = aws
    users = [f"u{i:03d}" for i in range(250)]
    profile_store.write_run(dynamodb, "profiles", contract.NAMESPACE, OLD_RUN,
                            [(u, {"recommended_items": ["old"]}) for u in users])
    profile_store.promote(dynamodb, "profiles", contract.NAMESPACE, OLD_RUN)
    real_write = profile_store._batch_write
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("Lambda timed out")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(profile_store, "_batch_write", failing)
    with pytest.raises(RuntimeError):
        handler.lambda_handler(stage(s3, users, lines(users)), lambda_context)
    assert {profile(dynamodb, u).run_id for u in users} == {OLD_RUN}
    monkeypatch.setattr(profile_store, "_batch_write", real_write)
    handler.lambda_handler(stage(s3, users, lines(users)), lambda_context)  # the workflow's retry
    assert {profile(dynamodb, u).run_id for u in users} == {RUN}


def test_run_summary_is_an_event_the_real_transform_accepts(aws, lambda_context):
    s3, _ = aws
    handler.lambda_handler(stage(s3, ["u1", "u2"], lines(["u1", "u2"])), lambda_context)
    summary = preference_seed.read_events(s3, NAMES)[-1]
    keys, data = transform_data(base64.b64encode(json.dumps(summary).encode()).decode(),
                                int(datetime.now(UTC).timestamp() * 1000))
    canonical = json.loads(base64.b64decode(data))
    assert keys["channel"] == "custom" and canonical["event_source"] == "app"
    assert canonical["event_type"] == "predictive_engagement.run"
    assert canonical["tags"] == {"run_id": RUN, "model_version": MODEL, "status": "succeeded"}
    assert canonical["metrics"]["written"] == 2.0


def test_customer_profiles_receive_the_same_recommendations(aws, monkeypatch, lambda_context):
    from botocore.stub import Stubber

    s3, _ = aws
    monkeypatch.setenv("CUSTOMER_PROFILES_DOMAIN", "acme")
    settings.reset()
    profiles = boto3.client("customer-profiles")
    real_client = settings.client
    monkeypatch.setattr(handler, "client", lambda name: profiles if name == "customer-profiles" else real_client(name))
    with Stubber(profiles) as stub:
        for user in ("u1", "u2"):
            stub.add_response("put_profile_object", {"ProfileObjectUniqueKey": user}, {
                "DomainName": "acme", "ObjectTypeName": "EngagementRecommendations",
                "Object": json.dumps({"user_id": user, "recommended_items": f"{user}-item-0,{user}-item-1,{user}-item-2",
                                      "model_version": MODEL, "generated_at": "2026-12-06T04:30:00Z"})})
        result = handler.write_recommendations(handler.WriteRequest(**stage(s3, ["u1", "u2"], lines(["u1", "u2"]))),
                                               datetime(2026, 12, 6, 4, 30, tzinfo=UTC))
        stub.assert_no_pending_responses()
    assert result["customer_profiles_failed"] == 0

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

from contracts import personalize as contract
from contracts import profile_store
from functions.events_transform.normalize import transform_data
from functions.predictive_engagement_writer import handler, settings
from tools import preference_seed

from .conftest import MODEL, NAMES, OLD_RUN, RUN, lines, profile, stage, unsubscribe_all

DOC_EXAMPLE = (Path(__file__).parent / "personalize_batch_output.jsonl").read_text()


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


def test_an_unsubscribed_user_missing_from_this_run_loses_the_older_recommendations(aws, lambda_context):
    """A user who unsubscribed stops engaging, so drops out of the next batch input (users with interactions in
    the lookback): without a row in this run, the store would keep showing the pre-unsubscribe recommendations."""
    s3, dynamodb = aws
    profile_store.write_run(dynamodb, "profiles", contract.NAMESPACE, OLD_RUN,
                            [("u1", {"recommended_items": ["old"]}), ("u2", {"recommended_items": ["old"]})])
    profile_store.promote(dynamodb, "profiles", contract.NAMESPACE, OLD_RUN)
    unsubscribe_all(dynamodb, "u2")
    result = handler.lambda_handler(stage(s3, ["u1"], lines(["u1"])), lambda_context)
    assert result["suppressed_unsubscribed"] == 1 and result["written"] == 2
    assert profile(dynamodb, "u1").attributes["recommended_items"] == ["u1-item-0", "u1-item-1", "u1-item-2"]
    stale = profile(dynamodb, "u2")
    assert (stale.run_id, stale.attributes["recommended_items"], stale.attributes["suppressed"]) == \
        (RUN, [], "unsubscribed_all")


def test_a_run_overtaken_by_a_newer_one_says_so_and_counts_every_line(aws, lambda_context):
    """Two overlapping executions: the newer run is already written and promoted. The older one changes nothing,
    and its result and summary account for every line (lines = written + skipped as newer) instead of
    reporting success with lines unaccounted for."""
    s3, dynamodb = aws
    newer = "20261207T040000Z"
    profile_store.write_run(dynamodb, "profiles", contract.NAMESPACE, newer, [("u1", {"recommended_items": ["new"]})])
    profile_store.promote(dynamodb, "profiles", contract.NAMESPACE, newer)
    result = handler.lambda_handler(stage(s3, ["u1", "u2"], lines(["u1", "u2"])), lambda_context)
    assert (result["lines"], result["written"], result["skipped_newer"], result["status"]) == (2, 1, 1, "superseded")
    assert profile(dynamodb, "u1").attributes == {"recommended_items": ["new"]}
    summary = preference_seed.read_events(s3, NAMES)[-1]
    assert summary["attributes"]["status"] == "superseded" and summary["metrics"]["skipped_newer"] == 1.0


def test_customer_profiles_never_receive_what_a_newer_run_already_replaced(aws, monkeypatch, lambda_context):
    from botocore.stub import Stubber

    s3, dynamodb = aws
    monkeypatch.setenv("CUSTOMER_PROFILES_DOMAIN", "acme")
    settings.reset()
    newer = "20261207T040000Z"
    profile_store.write_run(dynamodb, "profiles", contract.NAMESPACE, newer, [("u1", {"recommended_items": ["new"]})])
    profiles = boto3.client("customer-profiles")
    real_client = settings.client
    monkeypatch.setattr(handler, "client", lambda name: profiles if name == "customer-profiles" else real_client(name))
    with Stubber(profiles) as stub:  # u2 only: an older run's u1 would overwrite the newer run's in the domain
        stub.add_response("put_profile_object", {"ProfileObjectUniqueKey": "u2"}, {
            "DomainName": "acme", "ObjectTypeName": "EngagementRecommendations", "Object": ANY_U2})
        result = handler.write_recommendations(handler.WriteRequest(**stage(s3, ["u1", "u2"], lines(["u1", "u2"]))))
        stub.assert_no_pending_responses()
    assert (result["customer_profiles_failed"], result["skipped_newer"]) == (0, 1)


class _U2:
    def __eq__(self, other) -> bool:
        return json.loads(other)["user_id"] == "u2"


ANY_U2 = _U2()

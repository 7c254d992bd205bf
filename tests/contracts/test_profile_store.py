"""The profile-store contract against moto's DynamoDB: namespaces, run promotion, replays, stale runs."""
from __future__ import annotations

from datetime import UTC, datetime

import boto3
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from moto import mock_aws

from contracts import profile_store as ps

TABLE = "profiles"
RUN_1, RUN_2, RUN_3 = "20261201T030000Z", "20261202T030000Z", "20261203T030000Z"


@pytest.fixture
def dynamodb(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName=TABLE, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": ps.HASH_KEY, "KeyType": "HASH"},
                       {"AttributeName": ps.RANGE_KEY, "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": ps.HASH_KEY, "AttributeType": "S"},
                                  {"AttributeName": ps.RANGE_KEY, "AttributeType": "S"}])
        yield client


def _scores(run: str, customers: range) -> list[tuple[str, dict]]:
    return [(f"c{i}", {"churn_score": i / 1000, "band": "high", "run": run}) for i in customers]


def test_a_promoted_run_is_what_readers_see(dynamodb):
    report = ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_1, _scores(RUN_1, range(250)))
    assert report.written == 250
    assert ps.read_profile(dynamodb, TABLE, "c7") == {}, "nothing is visible before the run is promoted"
    assert ps.promote(dynamodb, TABLE, "predictive_segmentation", RUN_1)
    profile = ps.read_profile(dynamodb, TABLE, "c7")["predictive_segmentation"]
    assert profile.run_id == RUN_1 and profile.attributes == {"churn_score": 0.007, "band": "high", "run": RUN_1}


def test_an_incomplete_run_leaves_readers_on_the_previous_run(dynamodb):
    # Given a complete run 1, and run 2 that crashed after writing half of the customers (never promoted)
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_1, _scores(RUN_1, range(10)))
    ps.promote(dynamodb, TABLE, "predictive_segmentation", RUN_1)
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_2, _scores(RUN_2, range(5)))
    # Then every customer, rewritten or not, still reads run 1
    runs = {ps.read_profile(dynamodb, TABLE, f"c{i}")["predictive_segmentation"].attributes["run"] for i in range(10)}
    assert runs == {RUN_1}
    # And once run 2 is rerun completely and promoted, every customer reads run 2
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_2, _scores(RUN_2, range(10)))
    ps.promote(dynamodb, TABLE, "predictive_segmentation", RUN_2)
    runs = {ps.read_profile(dynamodb, TABLE, f"c{i}")["predictive_segmentation"].attributes["run"] for i in range(10)}
    assert runs == {RUN_2}


def test_a_second_incomplete_run_never_exposes_the_first_incomplete_one(dynamodb):
    # Given a complete run 1, run 2 that crashed after writing every customer (never promoted), and run 3 that
    # is still writing (or crashed too) after rewriting half of them
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_1, _scores(RUN_1, range(10)))
    ps.promote(dynamodb, TABLE, "predictive_segmentation", RUN_1)
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_2, _scores(RUN_2, range(10)))
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_3, _scores(RUN_3, range(5)))
    # Then every customer still reads run 1, the last complete run: run 2's values were never promoted
    runs = {ps.read_profile(dynamodb, TABLE, f"c{i}")["predictive_segmentation"].attributes["run"] for i in range(10)}
    assert runs == {RUN_1}
    # And once run 3 completes, every customer reads run 3
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_3, _scores(RUN_3, range(10)))
    ps.promote(dynamodb, TABLE, "predictive_segmentation", RUN_3)
    runs = {ps.read_profile(dynamodb, TABLE, f"c{i}")["predictive_segmentation"].attributes["run"] for i in range(10)}
    assert runs == {RUN_3}


def test_a_failed_run_completed_by_a_rerun_after_a_newer_one_started_is_what_readers_see(dynamodb):
    # Given a complete run 1, run 2 that crashed after writing every customer, and run 3 that crashed after
    # rewriting half of them
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_1, _scores(RUN_1, range(10)))
    ps.promote(dynamodb, TABLE, "predictive_segmentation", RUN_1)
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_2, _scores(RUN_2, range(10)))
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_3, _scores(RUN_3, range(5)))
    # When run 2 is rerun (it leaves run 3's items alone) and promoted
    report = ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_2, _scores(RUN_2, range(10)))
    assert (report.unchanged, report.skipped_newer) == (5, 5)
    assert ps.promote(dynamodb, TABLE, "predictive_segmentation", RUN_2)
    # Then every customer reads run 2, including those run 3 rewrote
    runs = {ps.read_profile(dynamodb, TABLE, f"c{i}")["predictive_segmentation"].attributes["run"] for i in range(10)}
    assert runs == {RUN_2}


RUNS = [f"202612{day:02d}T030000Z" for day in range(1, 7)]
# One step: run `RUNS[i]` writes customers c0..c<n-1> (n < 4: it crashed part-way), then is promoted if n == 4
# (refused when a newer run was promoted first).
STEPS = st.lists(st.tuples(st.integers(0, len(RUNS) - 1), st.integers(1, 4)), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_readers_never_see_a_run_that_was_not_promoted(dynamodb, steps):
    for item in dynamodb.scan(TableName=TABLE)["Items"]:
        dynamodb.delete_item(TableName=TABLE, Key={ps.HASH_KEY: item[ps.HASH_KEY], ps.RANGE_KEY: item[ps.RANGE_KEY]})
    for index, written in steps:
        run = RUNS[index]
        ps.write_run(dynamodb, TABLE, "predictive_segmentation", run, _scores(run, range(written)))
        if written == 4:
            ps.promote(dynamodb, TABLE, "predictive_segmentation", run)
        promoted = ps.promoted_run(dynamodb, TABLE, "predictive_segmentation")
        for i in range(4):
            profile = ps.read_profile(dynamodb, TABLE, f"c{i}").get("predictive_segmentation")
            # (A run older than the pointer that crashed is not told apart from a complete one: the pointer
            # orders runs, it does not list them.)
            assert profile is None or profile.run_id <= promoted, (steps, i, profile.run_id)


def test_replaying_a_run_keeps_the_previous_value(dynamodb):
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_1, _scores(RUN_1, range(3)))
    ps.promote(dynamodb, TABLE, "predictive_segmentation", RUN_1)
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_2, _scores(RUN_2, range(3)))
    report = ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_2, _scores(RUN_2, range(3)))
    assert (report.written, report.unchanged) == (0, 3)
    item = dynamodb.get_item(TableName=TABLE, Key={ps.HASH_KEY: {"S": "c1"}, ps.RANGE_KEY: {"S":
                             "predictive_segmentation"}})["Item"]
    assert item["previous"]["M"]["run_id"]["S"] == RUN_1, "a replay must not push its own value into previous"


def test_an_older_run_never_overwrites_a_newer_one(dynamodb):
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_3, _scores(RUN_3, range(3)))
    assert ps.promote(dynamodb, TABLE, "predictive_segmentation", RUN_3)
    report = ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_1, _scores(RUN_1, range(3)))
    assert report.skipped_newer == 3
    assert not ps.promote(dynamodb, TABLE, "predictive_segmentation", RUN_1)
    assert ps.promoted_run(dynamodb, TABLE, "predictive_segmentation") == RUN_3


def test_two_solutions_never_overwrite_each_other(dynamodb):
    ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_1, [("c1", {"churn_score": 0.9})])
    ps.write_run(dynamodb, TABLE, "predictive_engagement", RUN_2, [("c1", {"recommended_items": ["a", "b"]})])
    ps.promote(dynamodb, TABLE, "predictive_segmentation", RUN_1)
    ps.promote(dynamodb, TABLE, "predictive_engagement", RUN_2)
    profile = ps.read_profile(dynamodb, TABLE, "c1")
    assert profile["predictive_segmentation"].attributes == {"churn_score": 0.9}
    assert profile["predictive_engagement"].attributes == {"recommended_items": ["a", "b"]}


def test_unprocessed_writes_are_retried(dynamodb, monkeypatch):
    # Given DynamoDB throttles the first write of each batch (returns it as unprocessed)
    real = dynamodb.batch_write_item
    throttled = []

    def throttling(RequestItems):  # noqa: N803 (boto3 argument name)
        if not throttled:
            throttled.append(1)
            return {"UnprocessedItems": RequestItems}
        return real(RequestItems=RequestItems)

    monkeypatch.setattr(dynamodb, "batch_write_item", throttling)
    monkeypatch.setattr(ps, "_sleep", lambda attempt: None)
    report = ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_1, _scores(RUN_1, range(30)))
    assert report.written == 30 and throttled
    assert dynamodb.scan(TableName=TABLE)["Count"] == 30


@pytest.mark.parametrize(("customer_id", "message"), [("#run", "reserves"), ("", "non-empty"), (7, "string")])
def test_bad_customer_ids_are_refused(dynamodb, customer_id, message):
    with pytest.raises(ps.ProfileStoreError, match=message):
        ps.write_run(dynamodb, TABLE, "predictive_segmentation", RUN_1, [(customer_id, {})])


def test_unknown_namespace_and_bad_run_id_are_refused(dynamodb):
    with pytest.raises(ps.ProfileStoreError, match="namespace"):
        ps.write_run(dynamodb, TABLE, "marketing", RUN_1, [])
    with pytest.raises(ps.ProfileStoreError, match="run id"):
        ps.write_run(dynamodb, TABLE, "predictive_segmentation", "latest", [])


def test_values_round_trip_exactly():
    value = {"f": 0.1, "i": 3, "b": True, "n": None, "l": [1, "x", 2.5], "m": {"k": "v"}}
    assert ps.from_dynamodb(ps.to_dynamodb(value)) == value
    with pytest.raises(ps.ProfileStoreError, match="finite"):
        ps.to_dynamodb(float("nan"))


def test_run_ids_sort_by_time():
    early = ps.run_id_for(datetime(2026, 12, 1, 3, tzinfo=UTC))
    late = ps.run_id_for(datetime(2026, 12, 1, 4, tzinfo=UTC), "retrain")
    assert early == RUN_1 and early < late

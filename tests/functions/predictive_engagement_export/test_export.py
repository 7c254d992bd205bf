"""The export Lambda on what Athena's UNLOAD really writes: the interactions SQL run (on DuckDB) over a lake
built by the real events transform from producer-shaped records, gzip JSON lines in (moto) S3."""
from __future__ import annotations

import csv
import gzip
import io
import json

import boto3
import pytest
from moto import mock_aws

from contracts import personalize as contract
from functions.predictive_engagement_export import handler, settings
from tools.predictive_engagement_local import build_lake, unload_rows

RUN = "20260329T040000Z"
UNLOAD = f"s3://work/predictive-engagement/runs/{RUN}/unload/"


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    con, _ = build_lake(tmp_path_factory.mktemp("lake"), users=120, items=60, per_user=12, seed=3)
    return unload_rows(con)


@pytest.fixture
def s3(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1",
                       "WORK_BUCKET": "work", "POWERTOOLS_TRACE_DISABLED": "true"}.items():
        monkeypatch.setenv(key, value)
    settings.reset()
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket="work")
        yield client
    settings.reset()


def put_unload(s3, lines: list[str], parts: int = 2) -> None:
    for part in range(parts):
        body = gzip.compress("".join(lines[part::parts]).encode())
        s3.put_object(Bucket="work", Key=f"predictive-engagement/runs/{RUN}/unload/{part:04d}_part.gz", Body=body)


def read(s3, key: str) -> str:
    return s3.get_object(Bucket="work", Key=key)["Body"].read().decode()


def test_unload_becomes_personalize_csv_and_batch_input(s3, rows, lambda_context):
    put_unload(s3, [json.dumps(r) + "\n" for r in rows])
    result = handler.lambda_handler({"action": "convert", "run_id": RUN, "unload_prefix": UNLOAD}, lambda_context)
    with_item = [r for r in rows if "item_id" in r]
    table = list(csv.reader(io.StringIO(read(s3, f"predictive-engagement/runs/{RUN}/interactions/interactions.csv"))))
    assert table[0] == list(contract.INTERACTIONS_COLUMNS)
    assert sorted(tuple(r) for r in table[1:]) == sorted(
        (r["user_id"], r["item_id"], str(r["timestamp"]), r["event_type"], str(r["event_value"])) for r in with_item)
    users = [json.loads(line)["userId"] for line in read(s3, f"predictive-engagement/runs/{RUN}/batch-input/users.jsonl")
             .splitlines()]
    assert sorted(users) == sorted({r["user_id"] for r in with_item})
    assert result["interactions"] == len(with_item) and result["users"] == len(users)
    assert result["rejected"] == {"missing_item_id": len(rows) - len(with_item)} and result["rejected"]["missing_item_id"] > 0
    assert result["sufficient"] is True and "left out" in result["message"]
    assert result["interactions_location"] == f"s3://work/predictive-engagement/runs/{RUN}/interactions/"


def test_too_few_interactions_is_refused_with_the_counts(s3, rows, lambda_context):
    few = [r for r in rows if "item_id" in r][:300]
    put_unload(s3, [json.dumps(r) + "\n" for r in few])
    result = handler.lambda_handler({"action": "convert", "run_id": RUN, "unload_prefix": UNLOAD}, lambda_context)
    assert result["sufficient"] is False
    assert "not enough data to train: 300 interactions (Personalize needs 1000)" in result["message"]


def test_bad_rows_are_counted_per_reason_and_never_written(s3, lambda_context):
    good = [{"user_id": f"u{u}", "item_id": f"i{i}", "timestamp": 1772400000 + i, "event_type": "click",
             "event_value": 1.0} for u in range(30) for i in range(40)]
    bad = ["{not json\n", json.dumps({**good[0], "item_id": "x" * 300}) + "\n",
           json.dumps({**good[0], "user_id": "tab\there"}) + "\n", json.dumps({**good[0], "timestamp": "soon"}) + "\n"]
    put_unload(s3, [json.dumps(r) + "\n" for r in good] + bad, parts=1)
    result = handler.lambda_handler({"action": "convert", "run_id": RUN, "unload_prefix": UNLOAD}, lambda_context)
    assert result["interactions"] == 1200 and result["users_with_two"] == 30 and result["sufficient"]
    assert result["rejected"] == {"malformed": 1, "invalid_id": 2, "invalid_value": 1}
    assert "x" * 300 not in read(s3, f"predictive-engagement/runs/{RUN}/interactions/interactions.csv")


@pytest.mark.parametrize("event", [{"action": "convert", "run_id": "today", "unload_prefix": UNLOAD}, {"action": "convert", "run_id": RUN}, {"run_id": RUN, "unload_prefix": UNLOAD},
                                   {"action": "convert", "run_id": RUN, "unload_prefix": "https://example.com/x/"}])
def test_malformed_requests_fail_before_touching_s3(s3, event, lambda_context):
    with pytest.raises(Exception, match="validation error"):
        handler.lambda_handler(event, lambda_context)
    assert "Contents" not in s3.list_objects_v2(Bucket="work")


def test_plan_names_the_run_after_the_scheduled_time_and_unloads_into_its_prefix(s3, monkeypatch, lambda_context):
    monkeypatch.setenv("INTERACTIONS_SELECT", "SELECT 1")
    settings.reset()
    result = handler.lambda_handler({"action": "plan", "scheduled_time": "2026-03-29T04:00:00Z"}, lambda_context)
    assert result == {"run_id": RUN, "unload_prefix": UNLOAD, "unload_query":
                      f"UNLOAD (SELECT 1) TO '{UNLOAD}' WITH (format = 'JSON', compression = 'GZIP')"}


LONG = [f"{chr(97 + i)}" * 100 for i in range(10)]  # ten 100-character item categories: 1,129 characters quoted
CATEGORY_MAP = ["newsletters/runners-monthly=running", "newsletters/shoe-collector=shoes", "offers=deals",
                f"offers/new-arrivals={','.join(LONG)}"]


def test_batch_input_carries_each_users_opted_out_categories_from_the_preference_center(
        s3, rows, monkeypatch, lambda_context):
    from contracts import category_consent as consent
    from functions.preference_api import store
    from tools import preference_seed

    names = preference_seed.Names()
    monkeypatch.setenv("PREFERENCES_TABLE", names.preferences_table)
    monkeypatch.setenv("CATEGORY_MAP", consent.resolve(preference_seed.load_sample(), CATEGORY_MAP).to_json())
    settings.reset()
    dynamodb = boto3.client("dynamodb")
    preference_seed.create_tables(dynamodb, names)
    runner, nothing, gone, *_ = sorted({r["user_id"] for r in rows if "item_id" in r})
    for user, changes in ((runner, {"subscriptions": {"runners-monthly": ["EMAIL"], "new-arrivals": ["SMS"]}}),
                          (nothing, {"attributes": {"first_name": "Ana"}}), (gone, {"unsubscribed_all": True})):
        current = store.empty_preferences("default", user)  # what the preference center's API stores
        store.save(dynamodb, (names.preferences_table, names.consent_table), current, {**current, **changes}, 0,
                   store.RequestMeta(source="preference_page"))
    put_unload(s3, [json.dumps(r) + "\n" for r in rows])
    result = handler.lambda_handler({"action": "convert", "run_id": RUN, "unload_prefix": UNLOAD}, lambda_context)
    lines = {json.loads(line)["userId"]: json.loads(line)
             for line in read(s3, f"predictive-engagement/runs/{RUN}/batch-input/users.jsonl").splitlines()}
    # Opted out of shoes only (runners-monthly and new-arrivals consent to running, deals and the long ones).
    assert lines[runner] == {"userId": runner, "filterValues": {"CATEGORIES": '"shoes"'}}
    # Everything opted out: more than one filter value holds, so no values (the writer gives them nothing).
    assert lines[nothing] == {"userId": nothing} and lines[gone] == {"userId": gone}
    assert sum("filterValues" in line for line in lines.values()) == 1 and len(lines) == result["users"]
    assert result["category_filter"] == {"users_with_category_opt_outs": 1, "users_over_filter_limit": 1}
    assert "1 users opted out of more categories than one filter value holds" in result["message"]


"""Shared by the writer's tests: moto S3, DynamoDB (profile store, the preference center's tables) and Firehose."""
from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from contracts import personalize as contract
from contracts import profile_store
from functions.predictive_engagement_writer import settings
from functions.preference_api import store
from tools import preference_seed

RUN, OLD_RUN = "20261206T040000Z", "20261205T040000Z"
MODEL = "arn:aws:personalize:us-east-1:123456789012:solution/engagement-dev-aws-user-personalization-v2/abc"
PREFIX = f"predictive-engagement/runs/{RUN}/"
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


def save_preferences(dynamodb, user_id: str, source: str = "preference_page", **changes) -> None:
    """What the preference center stores after a user's change (its own store code)."""
    current = store.empty_preferences("default", user_id)
    store.save(dynamodb, (NAMES.preferences_table, NAMES.consent_table), current, {**current, **changes}, 0,
               store.RequestMeta(source=source))


def unsubscribe_all(dynamodb, user_id: str) -> None:
    save_preferences(dynamodb, user_id, source="one_click", unsubscribed_all=True)


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

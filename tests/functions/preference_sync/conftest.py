"""moto-backed fixtures for the stream consumer: real DynamoDB stream records, SES contact list, Firehose.

moto does not implement pinpoint-sms-voice-v2, so that one client is a botocore Stubber.
"""
from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.stub import Stubber
from moto import mock_aws

from functions.preference_api import store
from functions.preference_sync import settings, sync
from tools import preference_seed
from tools.preference_seed import Names

NAMES = Names()


@pytest.fixture(autouse=True)
def _fresh_caches():
    settings.reset()
    sync.clear_cache()
    yield
    settings.reset()
    sync.clear_cache()


@pytest.fixture
def sms():
    client = boto3.client("pinpoint-sms-voice-v2", region_name="us-east-1",
                          aws_access_key_id="x", aws_secret_access_key="x")
    with Stubber(client) as stubber:
        yield stubber
        stubber.assert_no_pending_responses()


@pytest.fixture
def stack(monkeypatch, sms):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        dynamodb, s3 = boto3.client("dynamodb"), boto3.client("s3")
        config = preference_seed.load_sample()
        preference_seed.create_tables(dynamodb, NAMES)
        preference_seed.put_config(dynamodb, config, NAMES)
        preference_seed.create_contact_list(boto3.client("sesv2"), config, NAMES)
        preference_seed.create_events_stream(s3, boto3.client("firehose"), NAMES)
        for key, value in {"PREFERENCES_TABLE": NAMES.preferences_table, "AUDIENCE_TABLE": NAMES.audience_table,
                           "CONFIG_TABLE": NAMES.config_table, "CONTACT_LIST_NAME": NAMES.contact_list,
                           "OPT_OUT_LIST_NAME": NAMES.opt_out_list, "EVENTS_STREAM_NAME": NAMES.events_stream,
                           "POWERTOOLS_SERVICE_NAME": "preference-sync"}.items():
            monkeypatch.setenv(key, value)
        real_client = settings.client
        monkeypatch.setattr(sync, "client",
                            lambda name: sms.client if name == "pinpoint-sms-voice-v2" else real_client(name))
        yield {"dynamodb": dynamodb, "s3": s3, "sesv2": boto3.client("sesv2"), "stream": StreamReader(dynamodb)}


class StreamReader:
    """Reads the preferences table's stream from where it last stopped and shapes a Lambda event."""

    def __init__(self, dynamodb: Any):
        arn = dynamodb.describe_table(TableName=NAMES.preferences_table)["Table"]["LatestStreamArn"]
        # botocore 1.44 routes stream calls to an account endpoint moto does not serve (see local-aws-testing.md).
        self.client = boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))
        self.arn = arn
        shard = self.client.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        self.iterator = self.client.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                                       ShardIteratorType="TRIM_HORIZON")["ShardIterator"]

    def event(self) -> dict[str, Any]:
        response = self.client.get_records(ShardIterator=self.iterator)
        self.iterator = response["NextShardIterator"]
        records = []
        for record in response["Records"]:
            record = json.loads(json.dumps(record, default=lambda v: v.timestamp()))
            record["eventSourceARN"] = self.arn
            records.append(record)
        return {"Records": records}


def write(dynamodb: Any, user_id: str, version: int, **fields: Any) -> dict[str, Any]:
    """Write a preferences record the way the API does (same store code, same item shape)."""
    current = store.get_preferences(dynamodb, NAMES.preferences_table, "default", user_id) \
        or store.empty_preferences("default", user_id)
    source = fields.pop("source", "preference_page")
    desired = {**current, **fields}
    return store.save(dynamodb, (NAMES.preferences_table, NAMES.consent_table), current, desired, version,
                      store.RequestMeta(source=source))


def sms_response(number: str) -> dict[str, Any]:
    return {"OptOutListArn": "arn:aws:sms-voice:us-east-1:123456789012:opt-out-list/l", "OptOutListName":
            NAMES.opt_out_list, "OptedOutNumber": number, "OptedOutTimestamp": 0, "EndUserOptedOut": False}

"""The preference center's AWS side in moto, with the REAL API handler as the producer of every preferences
record and the real stream consumer reading the table's real stream.

moto lacks End User Messaging SMS (pinpoint-sms-voice-v2): both functions share tools.sms_voice_fake, which
validates every request against botocore's model of the service.
"""
from __future__ import annotations

import json
import re
import time
from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

from functions.preference_api import center as api_center
from functions.preference_api import settings as api_settings
from functions.preference_api import tokens
from functions.preference_sync import settings, sync
from tools import preference_seed
from tools.preference_dev_server import build_event
from tools.preference_seed import Names
from tools.sms_voice_fake import SmsVoiceFake

NAMES = Names()
SMS_IDENTITY = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef"
CENTER = "/api/centers/default"


@pytest.fixture(autouse=True)
def _fresh_caches():
    for reset in (settings.reset, sync.clear_cache, api_settings.reset, api_center.clear_cache,
                  tokens.clear_key_cache):
        reset()
    yield
    for reset in (settings.reset, sync.clear_cache, api_settings.reset, api_center.clear_cache,
                  tokens.clear_key_cache):
        reset()


@pytest.fixture
def stack(monkeypatch, lambda_context):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        dynamodb, s3, secrets = boto3.client("dynamodb"), boto3.client("s3"), boto3.client("secretsmanager")
        config = preference_seed.load_sample()
        preference_seed.create_tables(dynamodb, NAMES)
        preference_seed.put_config(dynamodb, config, NAMES)
        preference_seed.create_contact_list(boto3.client("sesv2"), config, NAMES)
        preference_seed.create_events_stream(s3, boto3.client("firehose"), NAMES)
        preference_seed.verify_sender(boto3.client("ses"), config)
        arn = preference_seed.create_signing_secret(secrets, NAMES)
        environment = {**preference_seed.api_environment(NAMES, arn, "https://d111.cloudfront.net"),
                       **preference_seed.sync_environment(NAMES), "SMS_ORIGINATION_IDENTITY": SMS_IDENTITY}
        for key, value in environment.items():
            monkeypatch.setenv(key, value)
        sms = SmsVoiceFake()
        sms.add_list(NAMES.opt_out_list)
        settings.use_client("pinpoint-sms-voice-v2", sms)
        api_settings.use_client("pinpoint-sms-voice-v2", sms)
        yield Stack(dynamodb, s3, boto3.client("sesv2"), sms, arn, lambda_context)


class Stack:
    """Clients, the stream, and the API as a user's browser (through CloudFront) would call it."""

    def __init__(self, dynamodb, s3, sesv2, sms, secret_arn, context):
        self.dynamodb, self.s3, self.sesv2, self.sms, self.secret_arn = dynamodb, s3, sesv2, sms, secret_arn
        self.context = context
        self.stream = StreamReader(dynamodb)
        self.origin = preference_seed.origin_verify(boto3.client("secretsmanager"), secret_arn)
        self._used_links: set[str] = set()

    def api(self, method: str, path: str, token: str | None = None, body: Any = None) -> tuple[int, Any]:
        from functions.preference_api.handler import lambda_handler

        headers = {"content-type": "application/json", "x-origin-verify": self.origin}
        if token:
            headers["authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else b""
        response = lambda_handler(build_event(method, CENTER + path, headers, data, "198.51.100.7"), self.context)
        return response["statusCode"], json.loads(response["body"] or "null")

    def manage_token(self, user_id: str) -> str:
        keyring = tokens.load_keyring(self.secret_arn, boto3.client("secretsmanager"))
        return tokens.sign(tokens.Claims(user_id, "default", "manage", int(time.time()) + 3600), keyring.current)

    def confirm_everything(self) -> None:
        """Every address owner follows the confirmation link they received (e-mail and SMS)."""
        bodies = [m["body"] for m in preference_seed.sent_messages()] + [m["MessageBody"] for m in self.sms.sent]
        for body in bodies:
            link = re.search(r"https://\S+#confirm=\S+", body).group(0)
            if link not in self._used_links:
                self._used_links.add(link)
                status, _ = self.api("POST", "/optin", token=link.split("#confirm=", 1)[1], body={})
                assert status in (200, 403), status  # 403: a link voided by a newer request

    def save(self, user_id: str, **fields: Any) -> dict[str, Any]:
        """The page's PUT for `user_id`: the current form with `fields` changed, then every link confirmed."""
        token = self.manage_token(user_id)
        status, current = self.api("GET", "/preferences", token=token)
        form = {"version": current["version"], "addresses": {**current["addresses"], **current["pending"]},
                "attributes": current["attributes"] or {"first_name": "Ana"},
                "subscriptions": current["subscriptions"], "unsubscribed_all": current["unsubscribed_all"]}
        form.update(fields)
        status, saved = self.api("PUT", "/preferences", token=token, body=form)
        assert status == 200, saved
        self.confirm_everything()
        return saved


class StreamReader:
    """Reads the preferences table's stream from where it last stopped and shapes a Lambda event."""

    def __init__(self, dynamodb: Any):
        arn = dynamodb.describe_table(TableName=NAMES.preferences_table)["Table"]["LatestStreamArn"]
        # botocore 1.44 routes stream calls to an account endpoint moto does not serve (see local-aws-testing.md).
        self.client = boto3.client("dynamodbstreams", config=Config(account_id_endpoint_mode="disabled"))
        self.arn = arn
        self.shard = self.client.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        self.iterator = self.client.get_shard_iterator(StreamArn=arn, ShardId=self.shard,
                                                       ShardIteratorType="TRIM_HORIZON")["ShardIterator"]

    def records(self) -> list[dict[str, Any]]:
        response = self.client.get_records(ShardIterator=self.iterator)
        self.iterator = response["NextShardIterator"]
        return [lambda_record(r, self.arn) for r in response["Records"]]

    def event(self) -> dict[str, Any]:
        return {"Records": self.records()}


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A GetRecords record as Lambda hands it over (JSON: timestamps as epoch seconds, the source ARN added)."""
    record = json.loads(json.dumps(record, default=lambda v: v.timestamp()))
    record["eventSourceARN"] = stream_arn
    return record

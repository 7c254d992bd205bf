"""The preference center's functions run for real on one machine, over moto: the API handler (as CloudFront calls
it), the stream sync (fed the preferences table's real stream), the SMS keyword handler (fed SNS's event for a
two-way reply) and the SES subscription handler (fed EventBridge's event for a change made on SES's own
subscription page, tools.ses_subscription_page). What they put on the events stream is read back byte for byte.

Used by `make demo` (tools/events_demo.py: their records go through the real transform into the local lake) and
by the tests of the three functions, so producers are always exercised as deployed, never as a fixture of ours.
moto lacks End User Messaging SMS: the functions share tools.sms_voice_fake.
"""
from __future__ import annotations

import json
import random
import re
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from tools import preference_seed
from tools.lambda_context import LocalLambdaContext, lambda_environment
from tools.preference_seed import Names
from tools.sample_sms import INBOUND_TOPIC, OUR_NUMBER, sns_envelope

CENTER = "default"
SMS_IDENTITY = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef"


def reset_functions() -> None:
    """Forget every cached setting, client, key and config of the three functions (one run never leaks into
    the next)."""
    from functions.preference_api import center, ses_subscriptions, settings, sms_keywords, tokens
    from functions.preference_sync import settings as sync_settings
    from functions.preference_sync import sync

    for reset in (settings.reset, center.clear_cache, tokens.clear_key_cache, sms_keywords.keyword_settings.cache_clear,
                  ses_subscriptions.subscription_settings.cache_clear, sync_settings.reset, sync.clear_cache):
        reset()


def environment(names: Names, secret_arn: str, page_base_url: str = "https://d111.cloudfront.net") -> dict[str, str]:
    """The three functions' environment, as components/preference_center sets it."""
    return {**preference_seed.api_environment(names, secret_arn, page_base_url), **preference_seed.sync_environment(names),
            "SMS_ORIGINATION_IDENTITY": SMS_IDENTITY, "PREFERENCE_CENTER_IDS": CENTER,
            "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@contextmanager
def running(names: Names = Names()) -> Iterator[LocalPreferenceCenter]:
    """moto with the component's tables, contact list, events stream, signing key and sample center; the
    functions' environment set (and restored afterwards)."""
    import boto3
    from moto import mock_aws

    from functions.preference_api import settings as api_settings
    from functions.preference_sync import settings as sync_settings
    from tools.sms_voice_fake import SmsVoiceFake

    credentials = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                   "AWS_DEFAULT_REGION": "us-east-1"}
    with lambda_environment(credentials), mock_aws():
        arn = seed(names)
        with lambda_environment(environment(names, arn)):
            reset_functions()
            sms = SmsVoiceFake()
            sms.add_list(names.opt_out_list)
            sync_settings.use_client("pinpoint-sms-voice-v2", sms)
            api_settings.use_client("pinpoint-sms-voice-v2", sms)
            try:
                yield LocalPreferenceCenter(boto3.client("dynamodb"), boto3.client("s3"), boto3.client("sesv2"),
                                            sms, arn, LocalLambdaContext("preference-local"), names)
            finally:
                reset_functions()


def seed(names: Names) -> str:
    """The AWS side in moto (call inside mock_aws); returns the signing secret's ARN."""
    import boto3

    dynamodb, config = boto3.client("dynamodb"), preference_seed.load_sample()
    preference_seed.create_tables(dynamodb, names)
    preference_seed.put_config(dynamodb, config, names)
    preference_seed.create_contact_list(boto3.client("sesv2"), config, names)
    preference_seed.create_events_stream(boto3.client("s3"), boto3.client("firehose"), names)
    preference_seed.verify_sender(boto3.client("ses"), config)
    return preference_seed.create_signing_secret(boto3.client("secretsmanager"), names)


class LocalPreferenceCenter:
    """Clients, the stream, and the API as a user's browser (through CloudFront) and mail client would call it."""

    def __init__(self, dynamodb: Any, s3: Any, sesv2: Any, sms: Any, secret_arn: str, context: Any,
                 names: Names = Names()):
        import boto3

        self.dynamodb, self.s3, self.sesv2, self.sms, self.secret_arn = dynamodb, s3, sesv2, sms, secret_arn
        self.context, self.names = context, names
        self.stream = StreamReader(dynamodb, names)
        self.origin = preference_seed.origin_verify(boto3.client("secretsmanager"), secret_arn)
        self._used_links: set[str] = set()
        self._records_seen = 0
        self.replies: list[dict[str, Any]] = []
        """Every two-way reply sent so far, as SNS's notification (what the topic also delivers to the stream)."""
        self.ses_records: list[dict[str, Any]] = []
        """Every Subscription event SES published so far, as its Firehose destination delivers it."""
        self.firehose = RecordingFirehose(boto3.client("firehose"))
        from functions.preference_api import settings as api_settings
        from functions.preference_sync import settings as sync_settings

        for module in (api_settings, sync_settings):
            module.use_client("firehose", self.firehose)

    # --- the API, as CloudFront forwards it ----------------------------------------------------------------
    def api(self, method: str, path: str, token: str | None = None, body: Any = None,
            headers: dict[str, str] | None = None, raw: bytes | None = None) -> tuple[int, Any]:
        from functions.preference_api.handler import lambda_handler
        from tools.preference_dev_server import build_event

        sent = {"content-type": "application/json", "x-origin-verify": self.origin, **(headers or {})}
        if token:
            sent["authorization"] = f"Bearer {token}"
        data = raw if raw is not None else json.dumps(body).encode() if body is not None else b""
        response = lambda_handler(build_event(method, f"/api/centers/{CENTER}{path}", sent, data, "198.51.100.7"),
                                  self.context)
        text = response["body"] or "null"
        return response["statusCode"], json.loads(text) if text.startswith(("{", "[", "n")) else text

    def token(self, user_id: str, purpose: str = "manage", publication: str | None = None,
              campaign: str | None = None) -> str:
        import boto3

        from functions.preference_api import tokens

        keyring = tokens.load_keyring(self.secret_arn, boto3.client("secretsmanager"))
        return tokens.sign(tokens.Claims(user_id, CENTER, purpose, int(time.time()) + 3600, publication,
                                         campaign_id=campaign), keyring.current)

    def manage_token(self, user_id: str) -> str:
        return self.token(user_id)

    def optin(self, addresses: dict[str, str], subscriptions: dict[str, list[str]]) -> str:
        """An anonymous opt-in request (202); returns the new record's user id (found by its pending address)."""
        status, body = self.api("POST", "/optin", body={"addresses": addresses, "attributes": {"first_name": "Ana"},
                                                        "subscriptions": subscriptions})
        assert status == 202, body
        channel, address = next(iter(addresses.items()))
        [item] = [i for i in self.dynamodb.scan(TableName=self.names.preferences_table)["Items"]
                  if i["pending"]["M"].get(channel, {}).get("S") == address]
        return item["user_id"]["S"]

    def subscribed_owner(self, addresses: dict[str, str], subscriptions: dict[str, list[str]]) -> str:
        """An opt-in whose addresses are all confirmed and synced (events so far consumed); the owner's user id."""
        user = self.optin(addresses, subscriptions)
        self.confirm_everything()
        self.sync()
        self.new_events()
        return user

    def record(self, user_id: str, center_id: str = "default") -> dict[str, Any] | None:
        """The user's preferences record as the API's store reads it."""
        from functions.preference_api import store

        return store.get_preferences(self.dynamodb, self.names.preferences_table, center_id, user_id)

    def consent_items(self, user_id: str, center_id: str = "default") -> list[dict[str, Any]]:
        """The user's consent log, oldest first, as DynamoDB items."""
        return self.dynamodb.query(TableName=self.names.consent_table, KeyConditionExpression="subject = :s",
                                   ExpressionAttributeValues={":s": {"S": f"{center_id}#{user_id}"}})["Items"]

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

    def one_click(self, user_id: str, publication: str | None = None, campaign: str | None = None) -> dict[str, Any]:
        """A mail client's RFC 8058 one-click unsubscribe POST (the link of a message of `campaign`)."""
        token = self.token(user_id, "unsubscribe", publication, campaign)
        status, body = self.api("POST", f"/unsubscribe?token={token}", raw=b"List-Unsubscribe=One-Click",
                                headers={"content-type": "application/x-www-form-urlencoded"})
        assert status == 200, body
        return body

    # --- the stream sync and the SMS keyword handler -------------------------------------------------------
    def sync(self) -> dict[str, Any]:
        from functions.preference_sync.handler import lambda_handler

        event = self.stream.event()
        # Lambda never invokes a stream function with an empty batch.
        return lambda_handler(event, self.context) if event["Records"] else {"batchItemFailures": []}

    def sms_reply(self, number: str, body: str, at: datetime | None = None) -> dict[str, Any]:
        """`number` texts `body` to our number: End User Messaging publishes it to the two-way topic, and SNS
        invokes the keyword handler with it (and delivers the same notification to the events stream)."""
        from functions.preference_api.sms_keywords import lambda_handler

        moment = at or datetime.now(UTC)
        notification = sns_envelope(two_way_message(number, body), int(moment.timestamp() * 1000),
                                    random.Random(len(self.replies)))
        self.replies.append(notification)
        return lambda_handler(sns_lambda_event(notification), self.context)

    def ses_page(self, email: str, deliver: bool = True, **change: Any) -> dict[str, Any]:
        """The recipient changes their contact on SES's own subscription page (`opt_out=`, `opt_in=` topics,
        `unsubscribe_all=`, `at=`): SES updates the contact and publishes its Subscription event to the stream
        and to EventBridge, whose rule invokes the handler (unless `deliver` is False: a lost event). Returns
        the bus event."""
        from functions.preference_api.ses_subscriptions import lambda_handler
        from tools import ses_subscription_page

        record = ses_subscription_page.change_contact(self.sesv2, self.names.contact_list, email, **change)
        self.ses_records.append(record)
        event = ses_subscription_page.bus_event(record)
        if deliver:
            lambda_handler(event, self.context)
        return event

    # --- what reached the events stream --------------------------------------------------------------------
    def stream_records(self) -> list[bytes]:
        """Every record the functions put on the events stream so far (and moto accepted), byte for byte, in
        order."""
        return list(self.firehose.records)

    def new_events(self) -> list[dict[str, Any]]:
        """The events put on the stream since the last call, parsed."""
        records = self.stream_records()
        fresh, self._records_seen = records[self._records_seen:], len(records)
        return [json.loads(line) for record in fresh for line in record.decode().splitlines() if line.strip()]


class RecordingFirehose:
    """The functions' Firehose client: every accepted PutRecord's bytes kept in order, then passed on to moto."""

    def __init__(self, real: Any):
        self.real, self.exceptions, self.records = real, real.exceptions, []

    def put_record(self, **params: Any) -> dict[str, Any]:
        response = self.real.put_record(**params)
        self.records.append(params["Record"]["Data"])
        return response


def two_way_message(number: str, body: str, message_id: str | None = None) -> dict[str, Any]:
    """An End User Messaging two-way SMS message, in the shape of AWS's published example
    (tests/fixtures/published_events/two_way_sms.json)."""
    return {"originationNumber": number, "destinationNumber": OUR_NUMBER, "messageKeyword": "KEYWORD",
            "messageBody": body, "inboundMessageId": message_id or str(uuid.uuid4()),
            "previousPublishedMessageId": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}


def sns_lambda_event(notification: dict[str, Any]) -> dict[str, Any]:
    """SNS's Lambda event for one notification of the inbound topic (tools.sample_sms.sns_envelope), shaped as
    AWS's published example (tests/functions/preference_api/sns_lambda_event.json; a test compares the two)."""
    return {"Records": [{
        "EventVersion": "1.0", "EventSubscriptionArn": f"{INBOUND_TOPIC}:21be56ed-a058-49f5-8c98-aedd2564c486",
        "EventSource": "aws:sns",
        "Sns": {"SignatureVersion": "1", "Timestamp": notification["Timestamp"], "Signature": "EXAMPLE",
                "SigningCertUrl": "EXAMPLE", "MessageId": notification["MessageId"],
                "Message": notification["Message"], "MessageAttributes": {}, "Type": "Notification",
                "UnsubscribeUrl": notification["UnsubscribeURL"], "TopicArn": notification["TopicArn"],
                "Subject": None}}]}


class StreamReader:
    """Reads the preferences table's stream from where it last stopped and shapes a Lambda event."""

    def __init__(self, dynamodb: Any, names: Names = Names()):
        import boto3
        from botocore.config import Config

        arn = dynamodb.describe_table(TableName=names.preferences_table)["Table"]["LatestStreamArn"]
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

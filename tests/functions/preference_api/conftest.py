"""moto-backed fixtures for the preference API: tables, signing secret, events stream and an event builder."""
from __future__ import annotations

import copy
import json
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode

import boto3
import pytest
from moto import mock_aws

from functions.preference_api import center, settings, tokens
from tools import preference_seed
from tools.preference_seed import Names
from tools.sms_voice_fake import SmsVoiceFake

EVENT_TEMPLATE = json.loads((Path(__file__).parent / "apigw_v2_event.json").read_text())
NAMES = Names()
SMS_IDENTITY = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/phone-0123456789abcdef"


@pytest.fixture(autouse=True)
def _fresh_caches():
    # Module-level caches outlive a test's moto backend; clear them so every test starts cold.
    settings.reset()
    center.clear_cache()
    tokens.clear_key_cache()
    yield
    settings.reset()
    center.clear_cache()
    tokens.clear_key_cache()


@pytest.fixture
def aws(monkeypatch):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        yield


@pytest.fixture
def sample_config() -> dict[str, Any]:
    return preference_seed.load_sample()


@pytest.fixture
def stack(aws, monkeypatch, sample_config):
    """The API's AWS resources with the sample center; returns handy clients and the secret ARN."""
    dynamodb = boto3.client("dynamodb")
    secrets = boto3.client("secretsmanager")
    s3 = boto3.client("s3")
    preference_seed.create_tables(dynamodb, NAMES)
    preference_seed.put_config(dynamodb, sample_config, NAMES)
    arn = preference_seed.create_signing_secret(secrets, NAMES, kid="k1")
    preference_seed.create_events_stream(s3, boto3.client("firehose"), NAMES)
    preference_seed.verify_sender(boto3.client("ses"), sample_config)
    for key, value in preference_seed.api_environment(NAMES, arn, "https://d111.cloudfront.net").items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("SMS_ORIGINATION_IDENTITY", SMS_IDENTITY)
    sms = SmsVoiceFake()
    settings.use_client("pinpoint-sms-voice-v2", sms)
    return {"dynamodb": dynamodb, "secrets": secrets, "s3": s3, "arn": arn, "names": NAMES, "sms": sms}


@pytest.fixture
def sign(stack) -> Callable[..., str]:
    def _sign(user_id: str = "u-1", center_id: str = "default", purpose: str = "manage",
              publication: str | None = None, ttl: int = 3600) -> str:
        keyring = tokens.load_keyring(stack["arn"], stack["secrets"], max_age=0)
        claims = tokens.Claims(user_id=user_id, center_id=center_id, purpose=purpose,
                               expires_at=int(time.time()) + ttl, publication_id=publication)
        return tokens.sign(claims, keyring.current)

    return _sign


def build_event(method: str, path: str, *, query: dict[str, str] | None = None, token: str | None = None,
                body: Any = None, headers: dict[str, str] | None = None, base64_body: bool = False,
                origin: str | None = None) -> dict:
    """An API Gateway v2 event as CloudFront -> API Gateway delivers it (`origin`: the X-Origin-Verify value
    CloudFront adds; JSON bodies get `Content-Type: application/json` from the template unless overridden)."""
    event = copy.deepcopy(EVENT_TEMPLATE)
    if origin is not None:
        event["headers"]["x-origin-verify"] = origin
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["requestContext"]["http"]["method"] = method
    if query:
        event["rawQueryString"] = urlencode(query)
        event["queryStringParameters"] = dict(query)
    if token:
        event["headers"]["authorization"] = f"Bearer {token}"
    event["headers"].update({k.lower(): v for k, v in (headers or {}).items()})
    if body is not None:
        text = body if isinstance(body, str) else json.dumps(body)
        if base64_body:
            import base64

            text = base64.b64encode(text.encode("utf-8", "surrogatepass")).decode()
        event["body"] = text
        event["isBase64Encoded"] = base64_body
    return event


@pytest.fixture
def call(stack, lambda_context) -> Callable[..., tuple[int, dict[str, str], Any]]:
    """Invoke the real handler; return (status, headers, parsed body)."""
    from functions.preference_api.handler import lambda_handler

    edge_proof = preference_seed.origin_verify(stack["secrets"], stack["arn"])

    def _call(method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, str], Any]:
        kwargs.setdefault("origin", edge_proof)
        response = lambda_handler(build_event(method, path, **kwargs), lambda_context)
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        body = response.get("body", "")
        if headers.get("content-type", "").startswith("application/json") and body:
            body = json.loads(body)
        return response["statusCode"], headers, body

    return _call


def confirm_links(to: str | None = None) -> list[str]:
    """Confirmation links in the e-mails sent so far (optionally only those to `to`), oldest first."""
    import re

    return [re.search(r"https://\S+#confirm=\S+", m["body"]).group(0) for m in preference_seed.sent_messages()
            if to is None or to in m["to"]]


def fragment_token(link: str, name: str = "confirm") -> str:
    return link.split(f"#{name}=", 1)[1]


def table_snapshot(dynamodb: Any, table: str) -> list[dict]:
    items = dynamodb.scan(TableName=table)["Items"]
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))


def sms_links(stack: dict, to: str | None = None) -> list[str]:
    import re

    return [re.search(r"https://\S+#confirm=\S+", m["MessageBody"]).group(0) for m in stack["sms"].sent
            if to is None or m["DestinationPhoneNumber"] == to]


@pytest.fixture
def confirm_all(call, stack) -> Callable[[], list[tuple[int, Any]]]:
    """Follow every confirmation link sent so far (e-mail and SMS), as the address owners would."""
    used: set[str] = set()

    def _confirm() -> list[tuple[int, Any]]:
        results = []
        for link in [*confirm_links(), *sms_links(stack)]:
            if link in used:
                continue
            used.add(link)
            status, _, body = call("POST", "/api/centers/default/optin", token=fragment_token(link), body={})
            results.append((status, body))
        return results

    return _confirm

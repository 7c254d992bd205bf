"""Defects 4 and 5 of issue 9, shown on records AWS publishes, through the handler as Firehose calls it.

Self-contained on purpose (only the handler and the published records): the same file runs against the code
before the fix, where each test fails, and after it."""
from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.events import MAX_MS, MIN_MS
from functions.events_transform.handler import lambda_handler

PUBLISHED = Path(__file__).resolve().parents[2] / "fixtures" / "published_events"


def published(name: str) -> dict:
    return json.loads((PUBLISHED / name).read_text())


def run(event: dict, lambda_context) -> tuple[dict, dict]:
    data = base64.b64encode(json.dumps(event).encode() + b"\n").decode()
    request = {"invocationId": "i", "deliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/x",
               "records": [{"recordId": "r", "approximateArrivalTimestamp": 1767225600000, "data": data}]}
    out = lambda_handler(request, lambda_context)["records"][0]
    assert out["result"] == "Ok", out
    return out["metadata"]["partitionKeys"], json.loads(base64.b64decode(out["data"]))


def ses_iso(ms: int) -> str:
    moment = datetime.fromtimestamp(ms // 1000, tz=timezone.utc)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


# --- defect 4: timestamps lost a millisecond (a float on the way) -------------------------------------------

def test_published_bounce_keeps_its_millisecond(lambda_context):
    _, record = run(published("ses_bounce.json"), lambda_context)  # bounce.timestamp 2017-08-05T00:41:02.669Z
    assert record["event_timestamp"] == 1501893662669


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(min_value=MIN_MS, max_value=MAX_MS - 1))
def test_every_supported_millisecond_round_trips(lambda_context, ms):
    event = published("ses_send.json")
    event["mail"]["timestamp"] = ses_iso(ms)
    _, record = run(event, lambda_context)
    assert record["event_timestamp"] == ms


# --- defect 5: fields dropped or mistyped -----------------------------------------------------------------------

def test_sms_is_final_and_request_time_are_typed(lambda_context):
    _, record = run(published("eum_text_successful.json"), lambda_context)
    assert record["is_final"] is True
    assert record["send_timestamp"] == 1686975103170
    assert "is_final" not in record["channel_data"] and "message_request_timestamp" not in record["channel_data"]


def test_nested_sms_objects_are_kept(lambda_context):
    _, record = run(published("eum_eventbridge_text_successful_protect.json"), lambda_context)
    assert json.loads(record["channel_data"]["protect_configuration"])["protectStatus"] == "ALLOW"


def test_open_and_click_keep_the_send_time(lambda_context):
    for name in ("ses_open.json", "ses_click.json"):
        _, record = run(published(name), lambda_context)
        assert record["send_timestamp"] == 1501893602012  # mail.timestamp


def test_delivery_delay_expiration_is_a_time_and_the_delay_type_is_verbatim(lambda_context):
    _, record = run(published("ses_delivery_delay.json"), lambda_context)
    assert record["expiration_timestamp"] == 1592267140914
    assert record["channel_data"]["delay_type"] == "TransientCommunicationFailure"
    assert record["status"] != "transientcommunicationfailure"


def test_complaint_feedback_type_is_not_a_recipient_status(lambda_context):
    _, record = run(published("ses_complaint.json"), lambda_context)
    assert [r["status"] for r in record["recipients"]] == [None]


def test_journey_with_an_email_activity_is_on_the_email_channel(lambda_context):
    keys, _ = run(published("pinpoint_journey_send.json"), lambda_context)
    assert keys["channel"] == "email"

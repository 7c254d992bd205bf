"""Two-way SMS replies (End User Messaging two-way channel -> SNS -> Firehose) -> `text_inbound` sms events."""
from __future__ import annotations

import pytest
from transform_helpers import firehose_request, load_event, sns_envelope

from functions.events_transform.handler import lambda_handler


def test_published_reply_in_snss_envelope_is_an_inbound_sms_event(transform):
    # Given AWS's published two-way payload, delivered by the SNS subscription inside SNS's envelope
    out, rec = transform(sns_envelope(load_event("two_way_sms.json"), "2026-01-02T03:04:05.678Z"))

    # Then it is an sms event of the customer's number, with keyword and body, timed by SNS
    assert out["metadata"]["partitionKeys"] == {"channel": "sms", "kind": "text_inbound", "dt": "2026-01-02"}
    assert (rec["event_source"], rec["event_type"], rec["status"]) == ("sms_voice", "text_inbound", "received")
    assert (rec["sending_address"], rec["destination_addresses"]) == ("+14255550182", ["+12125550101"])
    assert rec["message_id"] == "cae173d2-66b9-564c-8309-21f858e9fb84"
    assert rec["event_timestamp"] == 1767323045678
    assert rec["channel_data"]["message_body"] == "EXAMPLE"
    assert rec["channel_data"]["keyword"] == "EXAMPLE"
    assert rec["channel_data"]["message_keyword"] == "JOIN"
    assert rec["channel_data"]["previous_published_message_id"] == "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    assert rec["channel_data"]["topic_arn"] == "arn:aws:sns:us-east-1:333333333333:my-kinesis-test-topic"


@pytest.mark.parametrize(("body", "keyword", "status"), [
    ("STOP", "STOP", "opted_out"), ("stop", "STOP", "opted_out"), ("Stop please", "STOP", "opted_out"),
    ("  unsubscribe. ", "UNSUBSCRIBE", "opted_out"), ("OPT OUT", "OPT OUT", "opted_out"), ("arret", "ARRET", "opted_out"),
    ("START", "START", "opted_in"), ("Thanks!", "THANKS", "received"), ("", "JOIN", "received"),
])
def test_keywords_decide_the_status(transform, body, keyword, status):
    reply = {**load_event("two_way_sms.json"), "messageBody": body}
    _, rec = transform(sns_envelope(reply))
    assert (rec["channel_data"]["keyword"], rec["status"]) == (keyword, status)


def test_raw_delivery_without_envelope_is_timed_by_arrival(transform):
    # With raw message delivery on, SNS sends the payload alone: no publish time, so arrival time it is
    _, rec = transform(load_event("two_way_sms.json"))
    assert rec["event_timestamp"] == rec["arrival_timestamp"]
    assert rec["channel_data"].get("sns_message_id") is None


def test_other_sns_messages_are_refused_with_their_bytes(lambda_context):
    envelope = load_event("sns_firehose_envelope.json")  # the published envelope: "My 1st body" is not JSON
    out = lambda_handler(firehose_request(envelope), lambda_context)["records"][0]
    assert out["result"] == "ProcessingFailed"
    assert out["data"] == firehose_request(envelope)["records"][0]["data"]

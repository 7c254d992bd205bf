"""End User Messaging SMS/voice events -> canonical records, with the examples AWS publishes."""
from __future__ import annotations

import json

import pytest
from transform_helpers import load_event


def test_published_sms_example_is_normalised(transform):
    # Given the user guide's "SMS example log" (a final TEXT_SUCCESSFUL)
    out, rec = transform(load_event("eum_text_successful.json"))

    # Then it is an sms event with its numbers, country, price and parts, and typed flags and times
    assert out["metadata"]["partitionKeys"] == {"channel": "sms", "kind": "text_successful", "dt": "2023-06-17"}
    assert (rec["event_source"], rec["event_type"], rec["status"], rec["status_code"]) == (
        "sms_voice", "text_successful", "successful", "SUCCESSFUL")
    assert rec["is_final"] is True  # defect 5: was the string "true" in channel_data
    assert rec["send_timestamp"] == 1686975103170  # defect 5: messageRequestTimestamp was epoch ms as a string
    assert (rec["sending_address"], rec["destination_addresses"], rec["country_code"]) == (
        "+12065550152", ["+14255550156"], "US")
    assert rec["metrics"] == {"price_usd": 0.09582, "carrier_fee_usd": 0.0, "message_parts": 1.0}
    assert rec["tags"] == {"account": "bar"}
    assert rec["channel_data"] == {"event_version": "1.0", "is_international_send": "false", "mcc": "310",
                                   "mnc": "800", "message_encoding": "GSM", "message_type": "PROMOTIONAL"}


def test_nested_protect_configuration_is_kept_as_json(transform):
    # Defect 5: nested SMS objects were dropped while SES's were kept as JSON
    _, rec = transform(load_event("eum_eventbridge_text_successful_protect.json"))
    assert json.loads(rec["channel_data"]["protect_configuration"]) == {
        "protectConfigurationId": "protect-e06e5d722c31455286262a108e7d863d", "protectStatus": "ALLOW"}
    _, delivered = transform(load_event("eum_eventbridge_text_delivered.json"))
    assert delivered["channel_data"]["carrier_name"] == "T-mobile USA Inc."


@pytest.mark.parametrize(("name", "final"), [("eum_eventbridge_text_successful_protect.json", True),
                                             ("eum_eventbridge_text_delivered.json", True),
                                             ("eum_eventbridge_voice_initiated.json", False)])
def test_is_final_is_a_boolean_column(transform, name, final):
    _, rec = transform(load_event(name))
    assert rec["is_final"] is final


def test_voice_event_goes_to_the_voice_channel_with_duration(transform):
    # Hand-written (events/README.md): no published VOICE_COMPLETED example
    out, rec = transform(load_event("voice_completed.json"))
    assert out["metadata"]["partitionKeys"]["channel"] == "voice"
    assert (rec["event_type"], rec["is_final"]) == ("voice_completed", True)
    assert rec["metrics"]["duration_seconds"] == 9.0
    assert rec["campaign_id"] == "otp-voice"


def test_published_voice_example_without_price_is_accepted(transform):
    out, rec = transform(load_event("eum_eventbridge_voice_initiated.json"))
    assert out["metadata"]["partitionKeys"]["kind"] == "voice_initiated"
    assert rec["metrics"] == {} and rec["destination_addresses"] == []


def test_sms_events_of_one_message_get_distinct_ids(transform):
    _, successful = transform(load_event("eum_eventbridge_text_successful_protect.json"))
    _, delivered = transform(load_event("eum_eventbridge_text_delivered.json"))
    assert successful["message_id"] == delivered["message_id"]
    assert successful["event_id"] != delivered["event_id"]


def test_unknown_future_event_type_is_stored_under_kind_other(transform):
    event = {**load_event("eum_text_successful.json"), "eventType": "TEXT_SOMETHING_NEW"}
    out, rec = transform(event)
    assert out["metadata"]["partitionKeys"]["kind"] == "other"
    assert rec["event_type"] == "text_something_new"

"""End User Messaging SMS/voice v2 event-destination records -> canonical records."""
from __future__ import annotations

from transform_helpers import load_event


def test_documented_sms_event_is_normalised(transform):
    # Given the user guide's SMS example (TEXT_SUCCESSFUL)
    event = load_event("sms_text_successful.json")

    # When transformed
    out, rec = transform(event)

    # Then it is an sms event with its numbers, country, price and parts
    assert out["metadata"]["partitionKeys"] == {"channel": "sms", "dt": "2023-06-17", "hour": "04"}
    assert (rec["event_source"], rec["event_type"], rec["status"], rec["status_code"]) == (
        "sms_voice", "text_successful", "successful", "SUCCESSFUL")
    assert rec["sending_address"] == "+12065550152"
    assert rec["destination_addresses"] == ["+14255550156"]
    assert rec["country_code"] == "US"
    assert rec["metrics"] == {"price_usd": 0.09582, "carrier_fee_usd": 0.0, "message_parts": 1.0}
    assert rec["tags"] == {"account": "bar"}
    assert {"mcc": "310", "message_type": "PROMOTIONAL", "is_final": "true",
            "origination_number": "+12065550152"}.items() <= rec["channel_data"].items()


def test_voice_event_goes_to_the_voice_channel_with_duration(transform):
    # Given a VOICE_COMPLETED event with a campaign in its context
    out, rec = transform(load_event("voice_completed.json"))

    # Then channel voice, lower-case type, duration and campaign kept
    assert out["metadata"]["partitionKeys"]["channel"] == "voice"
    assert rec["event_type"] == "voice_completed"
    assert rec["metrics"]["duration_seconds"] == 9.0
    assert rec["campaign_id"] == "otp-voice"


def test_sms_events_of_one_message_get_distinct_ids(transform):
    # Given the accepted and delivered events of one message
    accepted = load_event("sms_text_successful.json")
    delivered = {**accepted, "eventType": "TEXT_DELIVERED", "eventTimestamp": accepted["eventTimestamp"] + 900,
                 "messageStatus": "DELIVERED"}

    # Then they share message_id but not event_id
    _, a = transform(accepted)
    _, d = transform(delivered)
    assert a["message_id"] == d["message_id"]
    assert a["event_id"] != d["event_id"]

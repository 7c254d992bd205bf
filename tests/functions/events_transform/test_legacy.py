"""Pinpoint-era event-stream records -> canonical records (the history importer's path too), with the records
the Pinpoint developer guide publishes."""
from __future__ import annotations

from transform_helpers import load_event


def test_published_email_open_is_timed_when_it_arrived_and_keeps_the_send_time(transform):
    # Pinpoint's email event_timestamp is the SEND time (same for every event of a message)
    out, rec = transform(load_event("pinpoint_email_open.json"))
    assert (rec["event_source"], rec["event_type"], rec["status"]) == ("pinpoint_legacy", "open", "opened")
    assert rec["event_timestamp"] == 1564618712316  # arrival_timestamp: when the open happened
    assert rec["send_timestamp"] == 1564618621380
    assert rec["account_id"] == "123456789012"
    assert rec["channel_data"]["ip_address"] == "72.21.198.67"
    assert out["metadata"]["partitionKeys"] == {"channel": "email", "kind": "open", "dt": "2019-08-01"}


def test_published_sms_success_maps_to_a_final_text_delivered_with_price_in_usd(transform):
    out, rec = transform(load_event("pinpoint_sms_success.json"))
    assert (rec["event_type"], rec["status"], rec["is_final"]) == ("text_delivered", "delivered", True)
    assert rec["metrics"]["price_usd"] == 0.00645  # 645 millicents
    assert rec["destination_addresses"] == ["+14255550199"]
    assert rec["event_timestamp"] == 1553104954322
    assert rec["channel_data"]["treatment_id"] == "0"
    assert rec["channel_data"]["pinpoint_event_type"] == "_SMS.SUCCESS"
    assert out["metadata"]["partitionKeys"]["channel"] == "sms"


def test_journey_send_with_an_email_activity_is_on_the_email_channel(transform):
    # Defect 5: a _journey.send with journey_activity_type EMAIL landed on channel=custom
    out, rec = transform(load_event("pinpoint_journey_send.json"))
    assert out["metadata"]["partitionKeys"] == {"channel": "email", "kind": "journey.send", "dt": "2019-11-05"}
    assert (rec["event_type"], rec["status"]) == ("journey.send", "success")
    assert rec["channel_data"]["journey_id"] == "546401670c5547b08811ac6a9example"
    assert '"ChannelType":"EMAIL"' in rec["channel_data"]["endpoint"]


def test_campaign_send_of_a_push_campaign_stays_on_custom(transform):
    out, rec = transform(load_event("pinpoint_campaign_send.json"))
    assert out["metadata"]["partitionKeys"]["channel"] == "custom"
    assert (rec["event_type"], rec["campaign_id"]) == ("campaign.send", "4f8d6097c2e8400fa3081d875example")


def test_glue_lower_cased_spelling_is_read_like_the_stream_spelling(transform):
    # The seed's Parquet holds `awsaccountid` and `unsubscribelinktag` (Glue lower-cases names)
    stream = load_event("pinpoint_email_click.json")
    glue = {k.lower(): v for k, v in stream.items()}
    glue["facets"]["email_channel"]["mail_event"]["click"]["link_tags"] = {"unsubscribelinktag": ["footer"]}
    _, rec = transform(glue)
    assert rec["account_id"] == "123456789012"
    assert rec["channel_data"]["unsubscribe_link"] == "true"


def test_hand_written_hard_bounce_becomes_a_permanent_bounce_with_recipients(transform):
    # Hand-written (events/README.md): Pinpoint publishes no bounce example
    _, rec = transform(load_event("pinpoint_email_hardbounce.json"))
    assert (rec["event_type"], rec["status"], rec["message_id"]) == ("bounce", "permanent", "m-legacy-1")
    assert [r["address"] for r in rec["recipients"]] == ["a@example.net", "b@example.net"]
    assert rec["channel_data"]["subject"] == "Hi"
    assert rec["campaign_id"] == "cmp-2"

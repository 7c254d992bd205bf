"""Pinpoint-era event-stream records -> canonical records (the history importer's path too)."""
from __future__ import annotations

from transform_helpers import load_event


def test_pinpoint_sms_success_maps_to_text_delivered_with_price_in_usd(transform):
    out, rec = transform(load_event("pinpoint_sms_success.json"))
    assert (rec["event_source"], rec["event_type"], rec["status"]) == ("pinpoint_legacy", "text_delivered", "delivered")
    assert rec["metrics"]["price_usd"] == 0.00645  # 645 millicents
    assert rec["destination_addresses"] == ["+14255550156"]
    assert rec["arrival_timestamp"] == 1700000001000  # the original arrival, not the replay's
    assert rec["channel_data"]["treatment_id"] == "0"
    assert rec["channel_data"]["pinpoint_event_type"] == "_SMS.SUCCESS"
    assert out["metadata"]["partitionKeys"]["channel"] == "sms"


def test_pinpoint_hard_bounce_becomes_a_permanent_bounce_with_recipients(transform):
    _, rec = transform(load_event("pinpoint_email_hardbounce.json"))
    assert (rec["event_type"], rec["status"], rec["message_id"]) == ("bounce", "permanent", "m-legacy-1")
    assert [r["address"] for r in rec["recipients"]] == ["a@example.net", "b@example.net"]
    assert rec["channel_data"]["subject"] == "Hi"
    assert rec["campaign_id"] == "cmp-2"

"""Custom application events and preference-center events, as the events contract's builders produce them."""
from __future__ import annotations

import pytest
from transform_helpers import firehose_request, load_event

from contracts.events import custom_event, preference_change_events, preference_event
from functions.events_transform.handler import lambda_handler


def test_custom_event_keeps_attributes_and_metrics_as_maps(transform):
    # Given an app event with an ISO timestamp, attributes and metrics (hand-written: our own format)
    out, rec = transform(load_event("custom_checkout.json"))

    # Then metrics survive as a map (the seed's issue #1) and attributes as tags
    assert (rec["event_source"], rec["event_type"]) == ("app", "checkout.completed")
    assert rec["event_timestamp"] == 1772409599500
    assert rec["metrics"] == {"basket_value": 42.5, "items": 3.0}
    assert rec["tags"] == {"plan": "pro"}
    assert rec["channel_data"] == {"app_id": "shop-web", "session_id": "s-9"}
    assert (rec["user_id"], rec["campaign_id"]) == ("u-123", "spring-sale")
    assert out["metadata"]["partitionKeys"] == {"channel": "custom", "kind": "other", "dt": "2026-03-01"}


def test_builder_output_is_what_the_transform_accepts(transform):
    event = custom_event("app.login", "2026-01-01T08:00:00Z", app_id="shop-ios", user_id="u-2")
    _, rec = transform(event)
    assert (rec["event_type"], rec["user_id"], rec["event_timestamp"]) == ("app.login", "u-2", 1767254400000)


def test_preference_unsubscribe_is_one_event_per_channel_with_that_channels_address(transform):
    # Given a user who leaves every publication (one-click link), subscribed to email and sms before
    old = {"subscriptions": {"weekly": ["EMAIL", "SMS"]}, "addresses": {"EMAIL": "a@example.com", "SMS": "+15550100"},
           "unsubscribed_all": False}
    events = preference_change_events(user_id="u-1", center_id="main", when="2026-03-02T00:00:00Z", old=old,
                                      new={**old, "subscriptions": {}, "unsubscribed_all": True},
                                      source="one_click", version=4, campaign_id="spring")

    # When each goes through the transform
    outputs = [transform(e) for e in events]

    # Then each lands on its own channel, with the address the channel views join on
    by_channel = {out["metadata"]["partitionKeys"]["channel"]: rec for out, rec in outputs}
    assert set(by_channel) == {"email", "sms"}
    assert by_channel["email"]["destination_addresses"] == ["a@example.com"]
    assert by_channel["sms"]["destination_addresses"] == ["+15550100"]
    for rec in by_channel.values():
        assert (rec["event_source"], rec["event_type"], rec["status"]) == (
            "preference_center", "preference_center.unsubscribe", "unsubscribed")
        assert rec["tags"] == {"preference_center_id": "main", "publications": "weekly", "unsubscribe_all": "true",
                               "source": "one_click", "version": "4"}
        assert (rec["user_id"], rec["campaign_id"]) == ("u-1", "spring")


def test_page_events_concern_no_channel(transform):
    out, rec = transform(preference_event("open", user_id="u-1", center_id="main", when=1772409600000))
    assert out["metadata"]["partitionKeys"]["channel"] == "custom"
    assert rec["status"] is None and rec["destination_addresses"] == []


def test_pre_contract_preference_shape_is_stored_on_custom(transform):
    # What preference_sync emits until it moves onto the builders: channel custom, no address. Kept, not lost.
    out, rec = transform({"event_type": "preference_center.unsubscribe", "event_timestamp": 1772409600000,
                          "app_id": "preference-center", "user_id": "u-1", "channel": "custom",
                          "attributes": {"preference_center_id": "main", "source": "page"}, "metrics": {}})
    assert out["metadata"]["partitionKeys"]["channel"] == "custom"
    assert rec["event_source"] == "preference_center"


@pytest.mark.parametrize("change", [
    {"event_type": ""}, {"event_type": "x" * 129}, {"event_type": "_x"}, {"event_timestamp": "yesterday"},
    {"event_timestamp": 1_700_000_000}, {"event_timestamp": True}, {"channel": "push"},
    {"metrics": {"m": "many"}}, {"attributes": {"a": 1}}, {"unknown": 1}, {"user_id": 7},
])
def test_schema_violations_are_processing_failed(lambda_context, change):
    # Given a valid event with one field broken (seconds instead of ms is out of range too)
    request = firehose_request({**load_event("custom_checkout.json"), **change})

    # Then the record fails with its own bytes (it lands under errors/), nothing raises
    out = lambda_handler(request, lambda_context)["records"][0]
    assert out["result"] == "ProcessingFailed" and out["data"] == request["records"][0]["data"]


@pytest.mark.parametrize("event", [
    {"event_type": "preference_center.teleport", "event_timestamp": 1772409600000, "app_id": "preference-center",
     "user_id": "u", "attributes": {"preference_center_id": "main"}},
    {"event_type": "preference_center.unsubscribe", "event_timestamp": 1772409600000, "app_id": "preference-center",
     "user_id": "u", "channel": "email", "attributes": {"preference_center_id": "main"}},
    {"event_type": "preference_center.read", "event_timestamp": 1772409600000, "app_id": "preference-center",
     "attributes": {"preference_center_id": "main"}},
])
def test_preference_events_outside_the_contract_are_refused(lambda_context, event):
    # unknown action; an email event without the address; no user
    out = lambda_handler(firehose_request(event), lambda_context)["records"][0]
    assert out["result"] == "ProcessingFailed"

"""Custom application events and preference-center events (the format documented in custom_event.py)."""
from __future__ import annotations

import pytest
from pydantic import ValidationError
from transform_helpers import load_event

from functions.events_transform.custom_event import CustomEvent


def test_custom_event_keeps_attributes_and_metrics_as_maps(transform):
    # Given an app event with an ISO timestamp, attributes and metrics
    out, rec = transform(load_event("custom_checkout.json"))

    # Then metrics survive as a map (the seed's issue #1) and attributes as tags
    assert (rec["event_source"], rec["event_type"]) == ("app", "checkout.completed")
    assert rec["event_timestamp"] == 1772409599500
    assert rec["metrics"] == {"basket_value": 42.5, "items": 3.0}
    assert rec["tags"] == {"plan": "pro"}
    assert rec["channel_data"] == {"app_id": "shop-web", "session_id": "s-9"}
    assert (rec["user_id"], rec["campaign_id"]) == ("u-123", "spring-sale")
    assert out["metadata"]["partitionKeys"]["channel"] == "custom"


def test_preference_center_unsubscribe_is_its_own_source_on_the_email_channel(transform):
    out, rec = transform(load_event("preference_center_unsubscribe.json"))
    assert rec["event_source"] == "preference_center"
    assert rec["event_type"] == "preference_center.unsubscribe"
    assert rec["destination_addresses"] == ["someone@example.com"]
    assert out["metadata"]["partitionKeys"] == {"channel": "email", "dt": "2026-03-02", "hour": "00"}


@pytest.mark.parametrize("change", [
    {"event_type": ""}, {"event_type": "x" * 129}, {"event_timestamp": "yesterday"},
    {"event_timestamp": 1_700_000_000}, {"channel": "push"}, {"metrics": {"m": "many"}},
    {"attributes": {"a": 1}}, {"unknown": 1},
])
def test_schema_violations_are_rejected(change):
    # Given a valid event with one field broken (seconds instead of ms is out of range too)
    event = {**load_event("custom_checkout.json"), **change}

    # Then validation fails
    with pytest.raises(ValidationError):
        CustomEvent.model_validate(event)


def test_naive_iso_timestamp_is_utc():
    event = CustomEvent.model_validate({"event_type": "x", "event_timestamp": "2026-01-01T00:00:00"})
    assert event.event_timestamp == 1_767_225_600_000

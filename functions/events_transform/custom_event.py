"""Custom application events and preference-center events, Direct-PUT to the stream in the format the events
contract documents (contracts/events/producers.py). A preference-center event is stored with
event_source=preference_center on the channel it names (email or sms, with that channel's address), so the
unsubscribe and opt-out views count it; page events (open, read) stay on channel custom."""
from __future__ import annotations

from typing import Any

from contracts.events import empty_record, make_event_id, validate_custom_event
from contracts.events.vocabulary import PREFERENCE_STATUS


def is_custom(obj: dict[str, Any]) -> bool:
    event_type = obj.get("event_type")
    return event_type is not None and not (type(event_type) is str and event_type.startswith("_"))


def normalize_custom(obj: dict[str, Any], arrival_ms: int) -> tuple[str, dict[str, Any]]:
    event = validate_custom_event(obj)
    attributes = event["attributes"]
    source = event["event_source"]
    address = event["address"]
    status = (PREFERENCE_STATUS.get(event["event_type"]) if source == "preference_center"
              else attributes.get("status"))
    row = empty_record()
    row["event_id"] = make_event_id(source, event["app_id"], event["event_type"], event["event_timestamp"],
                                    event["user_id"], event["session_id"], event["message_id"], address,
                                    "\x1e".join([f"{k}\x1d{v}" for k, v in sorted(attributes.items())]))
    row["event_source"] = source
    row["event_type"] = event["event_type"]
    row["status"] = status
    if address:
        row["destination_addresses"] = [address]
    row["message_id"] = event["message_id"]
    row["user_id"] = event["user_id"]
    row["campaign_id"] = event["campaign_id"]
    row["event_timestamp"] = event["event_timestamp"]
    row["arrival_timestamp"] = arrival_ms
    row["tags"] = attributes
    row["metrics"] = event["metrics"]
    channel_data = row["channel_data"]
    for key in ("app_id", "session_id"):
        if event[key]:
            channel_data[key] = event[key]
    return event["channel"], row

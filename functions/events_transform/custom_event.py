"""Custom application events and preference-center events, Direct-PUT to the stream in the format the events
contract documents (contracts/events/producers.py). A preference-center event is stored with
event_source=preference_center on the channel it names (email or sms, with that channel's address), so the
unsubscribe and opt-out views count it; page events (open, read) stay on channel custom.

The application stream's transform (APP_EVENTS_ONLY) takes custom events only, and none the contract reserves
for the project's own producers: an application cannot pass for SES, End User Messaging, two-way SMS, the
preference center or the predictive solutions."""
from __future__ import annotations

from typing import Any

from contracts.events import InvalidEvent, empty_record, make_event_id, project_reservation, validate_custom_event
from contracts.events.vocabulary import PREFERENCE_STATUS


def is_custom(obj: dict[str, Any]) -> bool:
    event_type = obj.get("event_type")
    return event_type is not None and not (type(event_type) is str and event_type.startswith("_"))


def app_event_normalizer(obj: dict[str, Any]):
    """normalize_custom for a record an application may send; raises InvalidEvent for any other."""
    if not is_custom(obj):
        raise InvalidEvent("not_an_app_event", "the application stream takes only custom app events "
                           f"(contracts/events/producers.py), not keys {sorted(map(str, obj))[:10]}")
    reserved = project_reservation(obj)
    if reserved is not None:
        raise InvalidEvent("reserved_for_project", f"{reserved}: only the project's producers send it, on the main "
                                                   "stream")
    return normalize_custom


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

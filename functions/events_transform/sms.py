"""AWS End User Messaging SMS/voice v2 event-destination records (configuration set -> Firehose).

Shape from the user guide's "SMS example log": eventType (TEXT_*, VOICE_*, MEDIA_* for MMS),
eventVersion, eventTimestamp (ms), isFinal, originationPhoneNumber, destinationPhoneNumber, isoCountryCode,
messageId, messageRequestTimestamp, messageEncoding, messageType, messageStatus, messageStatusDescription,
context (the sender's map), totalMessageParts, totalMessagePrice, totalCarrierFee; voice adds its own fields.
"""
from __future__ import annotations

from typing import Any

from .canonical import NormalizeError, check_ms, make_event_id, num_map, record, str_map

_CHANNEL_BY_PREFIX = (("TEXT_", "sms"), ("MEDIA_", "sms"), ("VOICE_", "voice"))
# Source field -> metrics key: prices stay in USD as the service reports them.
_METRICS = {"totalMessagePrice": "price_usd", "totalCarrierFee": "carrier_fee_usd",
            "totalMessageParts": "message_parts", "totalDurationSeconds": "duration_seconds"}
# Fields with a canonical column of their own; everything else scalar is kept in channel_data.
_MAPPED = {"eventType", "eventTimestamp", "messageId", "messageStatus", "messageStatusDescription",
           "originationPhoneNumber", "destinationPhoneNumber", "isoCountryCode", "context",
           "configurationSetName", *_METRICS}
_SNAKE_NAMES = {"originationPhoneNumber": "origination_number", "isFinal": "is_final",
                "messageEncoding": "message_encoding", "messageType": "message_type",
                "messageRequestTimestamp": "message_request_timestamp", "eventVersion": "event_version",
                "isInternationalSend": "is_international_send"}


def sms_channel(event_type: Any) -> str | None:
    if isinstance(event_type, str):
        for prefix, channel in _CHANNEL_BY_PREFIX:
            if event_type.startswith(prefix):
                return channel
    return None


def is_sms_voice(obj: dict[str, Any]) -> bool:
    return "mail" not in obj and sms_channel(obj.get("eventType")) is not None


def normalize_sms(obj: dict[str, Any], raw: str, arrival_ms: int) -> tuple[str, dict[str, Any]]:
    channel = sms_channel(obj.get("eventType"))
    if channel is None:
        raise NormalizeError("unknown_event_type", f"SMS/voice event type {obj.get('eventType')!r}")
    message_id = obj.get("messageId")
    if not message_id:
        raise NormalizeError("missing_field", "messageId")
    when = check_ms(obj.get("eventTimestamp"), "eventTimestamp")
    event_type = obj["eventType"].lower()
    context = str_map(obj.get("context"))
    status = obj.get("messageStatus")
    channel_data = {_SNAKE_NAMES.get(k, k): v for k, v in str_map(
        {k: v for k, v in obj.items() if k not in _MAPPED and not isinstance(v, dict)}).items()}
    if obj.get("originationPhoneNumber"):
        channel_data["origination_number"] = str(obj["originationPhoneNumber"])
    destination = obj.get("destinationPhoneNumber")
    canonical = record(
        event_id=make_event_id("sms_voice", message_id, event_type, when),
        event_source="sms_voice", event_type=event_type,
        status=status.lower() if isinstance(status, str) else None, status_code=status,
        status_message=obj.get("messageStatusDescription"),
        sending_address=obj.get("originationPhoneNumber"),
        destination_addresses=[str(destination)] if destination else [],
        message_id=str(message_id), user_id=context.get("user_id"), campaign_id=context.get("campaign_id"),
        configuration_set=obj.get("configurationSetName"), country_code=obj.get("isoCountryCode"),
        event_timestamp=when, arrival_timestamp=arrival_ms, tags=context,
        metrics=num_map({name: obj.get(src) for src, name in _METRICS.items()}),
        channel_data=channel_data, raw_event=raw,
    )
    return channel, canonical

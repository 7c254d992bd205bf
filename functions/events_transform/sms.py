"""AWS End User Messaging SMS/MMS/voice: event-destination records, and two-way SMS replies.

Outbound events follow the user guide's "SMS example log": eventType (TEXT_*, MEDIA_*, VOICE_*), eventTimestamp
(ms), isFinal, origination/destination numbers, isoCountryCode, messageId, messageRequestTimestamp (ms), message
status and description, context (the sender's map), totalMessageParts/Price/CarrierFee. Each goes to a typed
column (is_final boolean, send_timestamp bigint, prices and parts in metrics); every other field, nested ones
such as protectConfiguration included, goes to channel_data under its snake_case name (objects as JSON).

Two-way replies reach the stream through the phone number's two-way SNS topic, which delivers them to Firehose in
SNS's envelope ({"Type": "Notification", "Message": "<the reply as JSON>", "Timestamp": ...}); the reply holds
originationNumber (the customer), destinationNumber (our number), messageKeyword, messageBody, inboundMessageId
and previousPublishedMessageId. They become `text_inbound` events on channel sms, with status opted_out /
opted_in / received by the contract's keyword rule (contracts.events.inbound_keyword).
"""
from __future__ import annotations

from typing import Any

import orjson

from contracts.events import (InvalidEvent, canonical_record, check_ms, empty_record, event_id_of_key,
                             inbound_keyword, iso_to_ms, make_event_id)
from contracts.events.vocabulary import SMS_INBOUND, SOURCE_SMS_VOICE

from .fields import snake, tag_map, text

_CHANNEL_BY_PREFIX = {"TEXT_": "sms", "MEDIA_": "sms", "VOICE_": "voice"}
_METRICS = {"totalMessagePrice": "price_usd", "totalCarrierFee": "carrier_fee_usd",
            "totalMessageParts": "message_parts", "totalDurationSeconds": "duration_seconds"}
_METRICS_ITEMS = tuple(_METRICS.items())
# Fields with a column of their own; everything else goes to channel_data.
_MAPPED = frozenset({"eventType", "eventTimestamp", "isFinal", "messageId", "messageStatus",
                     "messageStatusDescription", "originationPhoneNumber", "destinationPhoneNumber",
                     "isoCountryCode", "context", "configurationSetName", "messageRequestTimestamp", "accountId",
                     *_METRICS})
_NAMES = {"eventVersion": "event_version", "isInternationalSend": "is_international_send", "mcc": "mcc", "mnc": "mnc",
          "messageEncoding": "message_encoding", "messageType": "message_type", "carrierName": "carrier_name",
          "protectConfiguration": "protect_configuration"}


def sms_channel(event_type: Any) -> str | None:
    if type(event_type) is str:
        return _CHANNEL_BY_PREFIX.get(event_type[:event_type.find("_") + 1])
    return None


def is_sms_voice(obj: dict[str, Any]) -> bool:
    return "mail" not in obj and sms_channel(obj.get("eventType")) is not None


def normalize_sms(obj: dict[str, Any], arrival_ms: int) -> tuple[str, dict[str, Any]]:
    channel = sms_channel(obj.get("eventType"))
    message_id = obj.get("messageId")
    if not message_id:
        raise InvalidEvent("missing_field", "messageId")
    when = check_ms(obj.get("eventTimestamp"), "eventTimestamp")
    event_type = obj["eventType"].lower()
    requested = obj.get("messageRequestTimestamp")
    context = tag_map(obj.get("context"))
    status = obj.get("messageStatus")
    is_final = obj.get("isFinal")
    data = {}
    for key, value in obj.items():
        if key in _MAPPED or value is None:
            continue
        name = _NAMES.get(key) or snake(key)
        if type(value) is str:
            if value:
                data[name] = value
        elif type(value) is bool:  # isInternationalSend, in every record: text()'s spelling without the call
            data[name] = "true" if value else "false"
        else:
            spelled = text(value)
            if spelled is not None:
                data[name] = spelled
    row = empty_record()
    # make_event_id(SOURCE_SMS_VOICE, message_id, event_type, when), its key as one f-string (as ses.py's)
    row["event_id"] = event_id_of_key(f"{SOURCE_SMS_VOICE}\x1f{message_id}\x1f{event_type}\x1f{when}")
    row["event_source"] = SOURCE_SMS_VOICE
    row["event_type"] = event_type
    row["status"] = status.lower() if type(status) is str else None
    row["status_code"] = status
    row["status_message"] = obj.get("messageStatusDescription")
    row["is_final"] = is_final if type(is_final) is bool else None
    row["sending_address"] = obj.get("originationPhoneNumber")
    destination = obj.get("destinationPhoneNumber")
    if destination:
        row["destination_addresses"] = [str(destination)]
    row["message_id"] = str(message_id)
    row["user_id"] = context.get("user_id")
    row["campaign_id"] = context.get("campaign_id")
    row["account_id"] = obj.get("accountId")
    row["configuration_set"] = obj.get("configurationSetName")
    row["country_code"] = obj.get("isoCountryCode")
    row["send_timestamp"] = check_ms(requested, "messageRequestTimestamp") if requested is not None else None
    row["event_timestamp"] = when
    row["arrival_timestamp"] = arrival_ms
    row["tags"] = context
    metrics = row["metrics"]
    for source_name, name in _METRICS_ITEMS:  # map<string,double>: only numbers (as num_map)
        value = obj.get(source_name)
        if type(value) is int or type(value) is float:
            metrics[name] = float(value)
    row["channel_data"] = data
    return channel, row


def is_sns_envelope(obj: dict[str, Any]) -> bool:
    return obj.get("Type") == "Notification" and type(obj.get("Message")) is str and "TopicArn" in obj


def is_inbound_sms(obj: dict[str, Any]) -> bool:
    return "inboundMessageId" in obj and "originationNumber" in obj


def normalize_sns(envelope: dict[str, Any], arrival_ms: int) -> tuple[str, dict[str, Any]]:
    """An SNS notification delivered to Firehose: today only two-way SMS replies are subscribed."""
    try:
        reply = orjson.loads(envelope["Message"])
    except orjson.JSONDecodeError as exc:
        raise InvalidEvent("not_json", f"SNS Message: {exc}") from exc
    if type(reply) is not dict or not is_inbound_sms(reply):
        raise InvalidEvent("unknown_shape", f"SNS message from {envelope.get('TopicArn')} is not a two-way SMS")
    return normalize_inbound(reply, arrival_ms, envelope)


def normalize_inbound(reply: dict[str, Any], arrival_ms: int,
                      envelope: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
    message_id = reply.get("inboundMessageId")
    customer = reply.get("originationNumber")
    if not message_id or not customer:
        raise InvalidEvent("missing_field", "inboundMessageId and originationNumber")
    body, registered = reply.get("messageBody"), reply.get("messageKeyword")
    keyword, status = inbound_keyword(body if type(body) is str else None,
                                      registered if type(registered) is str else None)
    # The reply itself carries no time: SNS's publish time is when End User Messaging received it.
    when = iso_to_ms(envelope["Timestamp"], "Timestamp") if envelope and envelope.get("Timestamp") else arrival_ms
    ours = reply.get("destinationNumber")
    data = {"keyword": keyword, "message_keyword": registered, "message_body": body,
            "previous_published_message_id": reply.get("previousPublishedMessageId"),
            "sns_message_id": (envelope or {}).get("MessageId"), "topic_arn": (envelope or {}).get("TopicArn")}
    return "sms", canonical_record(
        event_id=make_event_id(SOURCE_SMS_VOICE, message_id, SMS_INBOUND), event_source=SOURCE_SMS_VOICE,
        event_type=SMS_INBOUND, status=status, sending_address=str(customer),
        destination_addresses=[str(ours)] if ours else None, message_id=str(message_id), event_timestamp=when,
        arrival_timestamp=arrival_ms, channel_data={k: v for k, v in ((k, text(v)) for k, v in data.items()) if v})

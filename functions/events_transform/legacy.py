"""Pinpoint-era event-stream records (the old DUE `all_events` rows), stored with event_source=pinpoint_legacy.

Used by the Lambda (an old producer may still write to the stream) and by tools/import_history.py, so history
and live data go through one normalisation. Both spellings are read: the event-stream JSON (`awsAccountId`,
`unsubscribeLinkTag`) and the Parquet the seed's Firehose/Glue wrote, whose column and struct field names Glue
lower-cased (`awsaccountid`, `unsubscribelinktag`). Legacy names map onto the new vocabulary so the views cover
both; the original name stays in channel_data['pinpoint_event_type'].

Times: Pinpoint's email `event_timestamp` is the SEND time, the same for every event of a message (Pinpoint
developer guide, email events); `arrival_timestamp` is when Pinpoint received the event. So for email rows
event_timestamp := arrival_timestamp and send_timestamp := message_send_timestamp. SMS, campaign and journey
rows keep their event_timestamp.
"""
from __future__ import annotations

from typing import Any

from contracts.events import canonical_record, check_ms, make_event_id
from contracts.events.vocabulary import SMS_LEGACY_OPT_OUT, SOURCE_PINPOINT_LEGACY

from .fields import num_map, tag_map, text_map

# Pinpoint email event -> (event_type, status); soft/hard bounce become one `bounce` type told apart by
# status/bounce_type exactly like SES bounces.
_EMAIL = {
    "_email.send": ("send", "sent"), "_email.delivered": ("delivery", "delivered"),
    "_email.hardbounce": ("bounce", "permanent"), "_email.softbounce": ("bounce", "transient"),
    "_email.complaint": ("complaint", "complaint"), "_email.rejected": ("reject", "rejected"),
    "_email.open": ("open", "opened"), "_email.click": ("click", "clicked"),
    "_email.unsubscribe": ("click", "clicked"), "_email.rendering_failure": ("rendering_failure", "failed"),
}
# _SMS.BUFFERED meant "accepted, not final": End User Messaging's TEXT_SUCCESSFUL with isFinal false.
_SMS = {"_SMS.BUFFERED": ("text_successful", False), "_SMS.SUCCESS": ("text_delivered", True),
        "_SMS.OPTOUT": (SMS_LEGACY_OPT_OUT, True)}
_DELIVERY_CHANNEL = {"EMAIL": "email", "SMS": "sms", "VOICE": "voice"}
_MILLICENTS_PER_USD = 100_000
# attributes that describe the campaign/journey, copied to channel_data too for the views
_CONTEXT_ATTRIBUTES = ("treatment_id", "campaign_activity_id", "campaign_send_status", "journey_id",
                       "journey_run_id", "journey_activity_id", "journey_activity_type", "journey_send_status",
                       "feedback")


def is_pinpoint_legacy(obj: dict[str, Any]) -> bool:
    event_type = obj.get("event_type")
    return type(event_type) is str and event_type.startswith("_")


def _get(obj: dict[str, Any], name: str) -> Any:
    """A field by its event-stream name or by the lower-case name Glue gave it in the old Parquet."""
    value = obj.get(name)
    return obj.get(name.lower()) if value is None else value


def normalize_pinpoint(obj: dict[str, Any], arrival_ms: int) -> tuple[str, dict[str, Any]]:
    legacy_type = obj["event_type"]
    reported = check_ms(obj.get("event_timestamp"), "event_timestamp")
    received = obj.get("arrival_timestamp")
    received = check_ms(received, "arrival_timestamp") if received is not None else None
    attributes = tag_map(obj.get("attributes"))
    raw_metrics = obj.get("metrics") or {}
    metrics = num_map(raw_metrics) if type(raw_metrics) is dict else {}
    if "price_in_millicents_usd" in metrics:
        metrics["price_usd"] = metrics["price_in_millicents_usd"] / _MILLICENTS_PER_USD
    client = obj.get("client") or {}
    custom = (obj.get("client_context") or {}).get("custom") or {}
    data: dict[str, Any] = {
        "pinpoint_event_type": legacy_type, "application_id": (obj.get("application") or {}).get("app_id"),
        "endpoint_id": client.get("client_id"), "cognito_id": client.get("cognito_id"),
        "event_version": obj.get("event_version"), "session": obj.get("session"),
        "device_platform": (obj.get("device") or {}).get("platform"),
        # the endpoint record Pinpoint copied into client_context.custom, already a JSON string
        "endpoint": custom.get("endpoint"), "client_context": {k: v for k, v in custom.items() if k != "endpoint"},
        **{k: attributes.get(k) for k in _CONTEXT_ATTRIBUTES}}
    fields: dict[str, Any] = {"tags": attributes, "metrics": metrics, "campaign_id": attributes.get("campaign_id"),
                              "user_id": attributes.get("user_id"), "event_timestamp": reported}

    if legacy_type in _EMAIL:
        channel = "email"
        fields["event_type"], fields["status"] = _EMAIL[legacy_type]
        fields["event_timestamp"] = received or reported
        fields["send_timestamp"] = reported
        _email_facets(obj, fields, data, unsubscribe=legacy_type == "_email.unsubscribe")
    elif legacy_type.startswith("_SMS."):
        channel = "sms"
        status = attributes.get("record_status")
        event_type, is_final = _SMS.get(legacy_type) or (f"text_{status.lower()}" if status else "text_failed", True)
        fields.update(event_type=event_type, is_final=is_final, status_code=status,
                      status=status.lower() if status else ("opted_out" if event_type == SMS_LEGACY_OPT_OUT else None))
        _sms_attributes(attributes, fields, data)
    else:
        activity = attributes.get("journey_activity_type") or attributes.get("delivery_type") or ""
        channel = _DELIVERY_CHANNEL.get(activity.upper(), "custom")
        fields["event_type"] = legacy_type.lstrip("_").lower()  # _campaign.send -> campaign.send
        fields["status"] = (attributes.get("journey_send_status") or attributes.get("campaign_send_status") or "").lower() or None
        fields["message_id"] = attributes.get("message_id")

    return channel, canonical_record(
        event_id=make_event_id("pinpoint_legacy", legacy_type, reported, client.get("client_id"),
                               fields.get("message_id"), sorted(attributes.items())),
        event_source=SOURCE_PINPOINT_LEGACY, account_id=_get(obj, "awsAccountId"),
        arrival_timestamp=received or arrival_ms, channel_data=text_map(data), **fields)


def _email_facets(obj: dict[str, Any], fields: dict[str, Any], data: dict[str, Any], unsubscribe: bool) -> None:
    event = ((obj.get("facets") or {}).get("email_channel") or {}).get("mail_event") or {}
    mail = event.get("mail") or {}
    headers = mail.get("common_headers") or {}
    sent = mail.get("message_send_timestamp")
    if type(sent) is int:
        fields["send_timestamp"] = check_ms(sent, "message_send_timestamp")
    fields.update(message_id=mail.get("message_id"), sending_address=mail.get("from_address"),
                  destination_addresses=list(mail.get("destination") or ()))
    data.update(subject=headers.get("subject"), headers_truncated=mail.get("headers_truncated"))
    bounce = event.get("bounce") or {}
    if bounce:
        fields["recipients"] = [
            {"address": r.get("email_address"), "status": r.get("status"), "action": r.get("action"),
             "diagnostic_code": r.get("diagnostic_code")} for r in bounce.get("bounced_recipients") or ()]
        data.update(bounce_type=bounce.get("bounce_type"), bounce_sub_type=bounce.get("bounce_sub_type"),
                    feedback_id=bounce.get("feedback_id"), reporting_mta=bounce.get("reporting_mta"))
        fields["status"] = str(bounce.get("bounce_type") or fields["status"]).lower()
    complaint = event.get("complaint") or {}
    if complaint:
        fields["recipients"] = [{"address": r.get("email_address"), "status": None, "action": None,
                                 "diagnostic_code": None} for r in complaint.get("complained_recipients") or ()]
        data.update(feedback_id=complaint.get("feedback_id"), user_agent=complaint.get("user_agent"),
                    feedback_type=complaint.get("complaint_feedback_type"))
    delivery = event.get("delivery") or {}
    if delivery:
        fields["recipients"] = [{"address": a, "status": None, "action": None, "diagnostic_code": None}
                                for a in delivery.get("recipients") or ()]
        data.update(smtp_response=delivery.get("smtp_response"), reporting_mta=delivery.get("reporting_mta"))
        fields["metrics"].update(num_map({"processing_time_millis": delivery.get("processing_time_millis")}))
    for key in ("open", "click"):
        data.update({k: v for k, v in (event.get(key) or {}).items() if k != "link_tags"})
    link_tags = (event.get("click") or {}).get("link_tags") or {}
    if unsubscribe or any(v for k, v in link_tags.items() if k.lower() == "unsubscribelinktag"):
        data["unsubscribe_link"] = True
    if link_tags:
        data["link_tags"] = {k: v for k, v in link_tags.items() if v is not None} or None
    reason = (event.get("reject") or {}).get("reason")
    if reason:
        data["reject_reason"] = reason
        fields["status_message"] = reason


def _sms_attributes(attributes: dict[str, str], fields: dict[str, Any], data: dict[str, Any]) -> None:
    destination = attributes.get("destination_phone_number")
    fields.update(message_id=attributes.get("message_id"), country_code=attributes.get("iso_country_code"),
                  sending_address=attributes.get("origination_phone_number"),
                  destination_addresses=[destination] if destination else [])
    parts = attributes.get("number_of_message_parts")
    if parts and parts.isdigit():
        fields["metrics"]["message_parts"] = float(parts)
    data.update(message_type=attributes.get("message_type"), sender_request_id=attributes.get("sender_request_id"),
                customer_context=attributes.get("customer_context"))


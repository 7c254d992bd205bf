"""Pinpoint-era event-stream records (the old DUE `all_events` rows), stored with event_source=pinpoint_legacy.

Used by the Lambda (in case an old producer still writes to the stream) and by tools/import_history.py, so
history and live data go through one normalisation. Legacy names are mapped onto the new vocabulary so the
views cover both; the original name stays in channel_data['pinpoint_event_type'].
"""
from __future__ import annotations

from typing import Any

from .canonical import NormalizeError, check_ms, make_event_id, num_map, record, str_map

# Pinpoint email event -> (event_type, status); soft/hard bounce become one `bounce` type told apart by
# status/bounce_type exactly like SES bounces.
_EMAIL = {
    "_email.send": ("send", "sent"), "_email.delivered": ("delivery", "delivered"),
    "_email.hardbounce": ("bounce", "permanent"), "_email.softbounce": ("bounce", "transient"),
    "_email.complaint": ("complaint", "complaint"), "_email.rejected": ("reject", "rejected"),
    "_email.open": ("open", "opened"), "_email.click": ("click", "clicked"),
    "_email.unsubscribe": ("click", "clicked"), "_email.rendering_failure": ("rendering_failure", "failed"),
}
# _SMS.BUFFERED meant "accepted by the carrier, not final": End User Messaging calls that TEXT_SUCCESSFUL.
_SMS = {"_SMS.BUFFERED": "text_successful", "_SMS.SUCCESS": "text_delivered", "_SMS.OPTOUT": "text_opted_out"}
_DELIVERY_TYPE_CHANNEL = {"EMAIL": "email", "SMS": "sms", "VOICE": "voice"}
_MILLICENTS_PER_USD = 100_000


def is_pinpoint_legacy(obj: dict[str, Any]) -> bool:
    return isinstance(obj.get("event_type"), str) and obj["event_type"].startswith("_")


def normalize_pinpoint(obj: dict[str, Any], raw: str, arrival_ms: int) -> tuple[str, dict[str, Any]]:
    legacy_type = obj.get("event_type")
    if not isinstance(legacy_type, str) or not legacy_type:
        raise NormalizeError("missing_field", "event_type")
    when = check_ms(obj.get("event_timestamp"), "event_timestamp")
    attributes = str_map(obj.get("attributes"))
    metrics = num_map(obj.get("metrics") or {})
    if "price_in_millicents_usd" in metrics:
        metrics["price_usd"] = metrics["price_in_millicents_usd"] / _MILLICENTS_PER_USD
    client = obj.get("client") or {}
    application = obj.get("application") or {}
    channel_data = {k: v for k, v in {
        "pinpoint_event_type": legacy_type, "application_id": application.get("app_id"),
        "endpoint_id": client.get("client_id"), "treatment_id": attributes.get("treatment_id"),
        "journey_id": attributes.get("journey_id"), "event_version": obj.get("event_version"),
    }.items() if v}
    fields: dict[str, Any] = {"tags": attributes, "metrics": metrics, "channel_data": channel_data,
                              "campaign_id": attributes.get("campaign_id"), "user_id": attributes.get("user_id")}

    if legacy_type in _EMAIL:
        channel = "email"
        fields["event_type"], fields["status"] = _EMAIL[legacy_type]
        _email_facets(obj, fields, unsubscribe=legacy_type == "_email.unsubscribe")
    elif legacy_type.startswith("_SMS."):
        channel = "sms"
        status = attributes.get("record_status")
        fields["event_type"] = _SMS.get(legacy_type) or (
            f"text_{status.lower()}" if status else "text_failed")
        fields["status"] = status.lower() if status else None
        fields["status_code"] = status
        _sms_attributes(attributes, fields)
    else:
        channel = _DELIVERY_TYPE_CHANNEL.get(attributes.get("delivery_type", ""), "custom")
        fields["event_type"] = legacy_type.lstrip("_").lower()  # _campaign.send -> campaign.send
        fields["message_id"] = attributes.get("message_id")

    canonical = record(
        event_id=make_event_id("pinpoint_legacy", legacy_type, when, client.get("client_id"),
                               fields.get("message_id"), sorted(attributes.items())),
        event_source="pinpoint_legacy", account_id=obj.get("awsAccountId"), event_timestamp=when,
        arrival_timestamp=obj.get("arrival_timestamp") if isinstance(obj.get("arrival_timestamp"), int)
        else arrival_ms, raw_event=raw, **fields,
    )
    return channel, canonical


def _email_facets(obj: dict[str, Any], fields: dict[str, Any], unsubscribe: bool) -> None:
    event = ((obj.get("facets") or {}).get("email_channel") or {}).get("mail_event") or {}
    mail = event.get("mail") or {}
    headers = mail.get("common_headers") or {}
    data = fields["channel_data"]
    fields.update(message_id=mail.get("message_id"), sending_address=mail.get("from_address"),
                  destination_addresses=list(mail.get("destination") or []))
    if headers.get("subject"):
        data["subject"] = headers["subject"]
    bounce = event.get("bounce") or {}
    if bounce:
        fields["recipients"] = [
            {"address": r.get("email_address"), "status": r.get("status"), "action": r.get("action"),
             "diagnostic_code": r.get("diagnostic_code")} for r in bounce.get("bounced_recipients") or []]
        data.update(str_map({"bounce_type": bounce.get("bounce_type"), "feedback_id": bounce.get("feedback_id"),
                             "bounce_sub_type": bounce.get("bounce_sub_type"),
                             "reporting_mta": bounce.get("reporting_mta")}))
        fields["status"] = str(bounce.get("bounce_type") or fields["status"]).lower()
    complaint = event.get("complaint") or {}
    if complaint:
        fields["recipients"] = [{"address": r.get("email_address"), "status": None, "action": None,
                                 "diagnostic_code": None} for r in complaint.get("complained_recipients") or []]
        data.update(str_map({"feedback_id": complaint.get("feedback_id"), "user_agent": complaint.get("user_agent"),
                             "feedback_type": complaint.get("complaint_feedback_type")}))
    delivery = event.get("delivery") or {}
    if delivery:
        fields["recipients"] = [{"address": a, "status": "delivered", "action": None, "diagnostic_code": None}
                                for a in delivery.get("recipients") or []]
        data.update(str_map({"smtp_response": delivery.get("smtp_response"),
                             "reporting_mta": delivery.get("reporting_mta")}))
        fields["metrics"].update(num_map({"processing_time_millis": delivery.get("processing_time_millis")}))
    for key in ("open", "click"):
        data.update(str_map({k: v for k, v in (event.get(key) or {}).items() if k != "link_tags"}))
    link_tags = (event.get("click") or {}).get("link_tags") or {}
    if unsubscribe or any(v for k, v in link_tags.items() if k.lower() == "unsubscribelinktag"):
        data["unsubscribe_link"] = "true"
    reason = (event.get("reject") or {}).get("reason")
    if reason:
        data["reject_reason"] = reason
        fields["status_message"] = reason


def _sms_attributes(attributes: dict[str, str], fields: dict[str, Any]) -> None:
    destination = attributes.get("destination_phone_number")
    fields.update(message_id=attributes.get("message_id"), country_code=attributes.get("iso_country_code"),
                  sending_address=attributes.get("origination_phone_number"),
                  destination_addresses=[destination] if destination else [])
    parts = attributes.get("number_of_message_parts")
    if parts and parts.isdigit():
        fields["metrics"]["message_parts"] = float(parts)
    for key in ("message_type", "sender_request_id", "customer_context"):
        if attributes.get(key):
            fields["channel_data"][key] = attributes[key]

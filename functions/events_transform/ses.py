"""Amazon SES v2 event publishing records (configuration set -> Firehose), and SNS-style feedback.

Shapes follow "Contents of event data that Amazon SES publishes to Firehose": a top-level `eventType`
(or `notificationType` when the record is identity feedback, not event publishing), the `mail` object,
and one type-specific object.
"""
from __future__ import annotations

from typing import Any

import orjson

from .canonical import NormalizeError, iso_to_ms, make_event_id, num_map, record

# SES spelling -> (canonical event_type, key of the type-specific object)
EVENT_TYPES: dict[str, tuple[str, str | None]] = {
    "Send": ("send", "send"),
    "Delivery": ("delivery", "delivery"),
    "Bounce": ("bounce", "bounce"),
    "Complaint": ("complaint", "complaint"),
    "Reject": ("reject", "reject"),
    "Open": ("open", "open"),
    "Click": ("click", "click"),
    "Rendering Failure": ("rendering_failure", "failure"),
    "DeliveryDelay": ("delivery_delay", "deliveryDelay"),
    "Subscription": ("subscription", "subscription"),
}
# Link tags that mark a click as an unsubscribe (the seed's Pinpoint-era `unsubscribeLinkTag`, and the
# plain name our own templates use); compared lower-cased.
UNSUBSCRIBE_LINK_TAGS = frozenset({"unsubscribelinktag", "unsubscribe"})
_CAMPAIGN_TAGS = ("campaign_id", "campaign")


def is_ses(obj: dict[str, Any]) -> bool:
    return isinstance(obj.get("mail"), dict) and ("eventType" in obj or "notificationType" in obj)


def normalize_ses(obj: dict[str, Any], raw: str, arrival_ms: int) -> tuple[str, dict[str, Any]]:
    spelled = obj.get("eventType", obj.get("notificationType"))
    if spelled not in EVENT_TYPES:
        raise NormalizeError("unknown_event_type", f"SES event type {spelled!r}")
    event_type, detail_key = EVENT_TYPES[spelled]
    mail = obj["mail"]
    detail = obj.get(detail_key) or {}
    if not isinstance(detail, dict):
        raise NormalizeError("invalid_value", f"{detail_key} must be an object")
    message_id = mail.get("messageId")
    if not message_id:
        raise NormalizeError("missing_field", "mail.messageId")
    # When it happened: the type object's own timestamp, else when SES accepted the mail.
    when = iso_to_ms(detail.get("timestamp") or mail.get("timestamp"), f"{detail_key}.timestamp")

    tags = {k: _tag_value(v) for k, v in (mail.get("tags") or {}).items()}
    headers = mail.get("commonHeaders") or {}
    channel_data = _compact({"subject": headers.get("subject"), "source_arn": mail.get("sourceArn"),
                             "from_header": ",".join(headers.get("from") or []) or None,
                             "feedback_source": "notification" if "notificationType" in obj else None})
    fields: dict[str, Any] = {"status": None, "status_code": None, "status_message": None,
                              "recipients": [], "metrics": {}}
    _TYPE_HANDLERS[event_type](detail, fields, channel_data)

    discriminator = ",".join(r["address"] or "" for r in fields["recipients"]) or channel_data.get("link")
    campaign = next((tags[k] for k in _CAMPAIGN_TAGS if tags.get(k)), None)
    canonical = record(
        event_id=make_event_id("ses", message_id, event_type, when, discriminator),
        event_source="ses", event_type=event_type,
        sending_address=mail.get("source"), destination_addresses=list(mail.get("destination") or []),
        message_id=message_id, user_id=tags.get("user_id"), campaign_id=campaign,
        account_id=mail.get("sendingAccountId"), configuration_set=tags.get("ses:configuration-set"),
        event_timestamp=when, arrival_timestamp=arrival_ms, tags=tags, channel_data=channel_data,
        raw_event=raw, **fields,
    )
    return "email", canonical


def _tag_value(values: Any) -> str:
    """SES tags are map<string, array<string>>; one value is the common case, several are joined by ','."""
    if type(values) is list:
        if len(values) == 1 and type(values[0]) is str:
            return values[0]
        return ",".join(str(v) for v in values)
    return str(values)


def _compact(values: dict[str, Any]) -> dict[str, str]:
    return {k: v if type(v) is str else orjson.dumps(v).decode()
            for k, v in values.items() if v is not None and v != ""}


def _recipient(address: Any, status: Any = None, action: Any = None, diagnostic: Any = None) -> dict:
    return {"address": address, "status": status, "action": action, "diagnostic_code": diagnostic}


def _send(detail: dict, fields: dict, data: dict) -> None:
    fields["status"] = "sent"


def _delivery(detail: dict, fields: dict, data: dict) -> None:
    fields.update(status="delivered", status_message=detail.get("smtpResponse"))
    fields["recipients"] = [_recipient(a, "delivered") for a in detail.get("recipients") or []]
    fields["metrics"] = num_map({"processing_time_millis": detail.get("processingTimeMillis")})
    data.update(_compact({"smtp_response": detail.get("smtpResponse"),
                          "reporting_mta": detail.get("reportingMTA"),
                          "remote_mta_ip": detail.get("remoteMtaIp")}))


def _bounce(detail: dict, fields: dict, data: dict) -> None:
    recipients = [_recipient(r.get("emailAddress"), r.get("status"), r.get("action"), r.get("diagnosticCode"))
                  for r in detail.get("bouncedRecipients") or []]
    first = recipients[0] if recipients else _recipient(None)
    fields.update(status=str(detail.get("bounceType") or "undetermined").lower(), recipients=recipients,
                  status_code=first["status"], status_message=first["diagnostic_code"])
    data.update(_compact({"bounce_type": detail.get("bounceType"), "bounce_sub_type": detail.get("bounceSubType"),
                          "feedback_id": detail.get("feedbackId"), "reporting_mta": detail.get("reportingMTA")}))


def _complaint(detail: dict, fields: dict, data: dict) -> None:
    feedback = detail.get("complaintFeedbackType")
    fields.update(status=(feedback or "complaint").lower(),
                  recipients=[_recipient(r.get("emailAddress"), feedback)
                              for r in detail.get("complainedRecipients") or []])
    data.update(_compact({"feedback_id": detail.get("feedbackId"), "user_agent": detail.get("userAgent"),
                          "feedback_type": feedback, "complaint_sub_type": detail.get("complaintSubType"),
                          "arrival_date": detail.get("arrivalDate")}))


def _reject(detail: dict, fields: dict, data: dict) -> None:
    fields.update(status="rejected", status_message=detail.get("reason"))
    data.update(_compact({"reject_reason": detail.get("reason")}))


def _open(detail: dict, fields: dict, data: dict) -> None:
    fields["status"] = "opened"
    data.update(_compact({"ip_address": detail.get("ipAddress"), "user_agent": detail.get("userAgent")}))


def _click(detail: dict, fields: dict, data: dict) -> None:
    link_tags = detail.get("linkTags") or {}
    unsubscribe = any(str(k).lower() in UNSUBSCRIBE_LINK_TAGS for k in link_tags)
    fields["status"] = "clicked"
    data.update(_compact({"ip_address": detail.get("ipAddress"), "user_agent": detail.get("userAgent"),
                          "link": detail.get("link"), "link_tags": link_tags or None,
                          "unsubscribe_link": "true" if unsubscribe else None}))


def _failure(detail: dict, fields: dict, data: dict) -> None:
    fields.update(status="failed", status_message=detail.get("errorMessage"))
    data.update(_compact({"template_name": detail.get("templateName"),
                          "error_message": detail.get("errorMessage")}))


def _delay(detail: dict, fields: dict, data: dict) -> None:
    recipients = [_recipient(r.get("emailAddress"), r.get("status"), "delayed", r.get("diagnosticCode"))
                  for r in detail.get("delayedRecipients") or []]
    first = recipients[0] if recipients else _recipient(None)
    fields.update(status=str(detail.get("delayType") or "delayed").lower(), recipients=recipients,
                  status_code=first["status"], status_message=first["diagnostic_code"])
    data.update(_compact({"delay_type": detail.get("delayType"), "expiration_time": detail.get("expirationTime"),
                          "reporting_mta": detail.get("reportingMTA")}))


def _subscription(detail: dict, fields: dict, data: dict) -> None:
    new = detail.get("newTopicPreferences") or {}
    topics = new.get("topicSubscriptionStatus") or []
    opted_out = new.get("unsubscribeAll") is True or any(
        t.get("subscriptionStatus") == "OptOut" for t in topics if isinstance(t, dict))
    fields["status"] = "unsubscribed" if opted_out else "subscribed"
    data.update(_compact({"contact_list": detail.get("contactList"), "subscription_source": detail.get("source"),
                          "unsubscribe_all": "true" if new.get("unsubscribeAll") else "false",
                          "topics": topics or None,
                          "old_topic_preferences": detail.get("oldTopicPreferences")}))


_TYPE_HANDLERS = {"send": _send, "delivery": _delivery, "bounce": _bounce, "complaint": _complaint,
                  "reject": _reject, "open": _open, "click": _click, "rendering_failure": _failure,
                  "delivery_delay": _delay, "subscription": _subscription}

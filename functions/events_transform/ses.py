"""Amazon SES v2 event publishing records (configuration set -> Firehose), and SNS-style identity feedback.

Shape: "Contents of event data that Amazon SES publishes to Firehose" (SES developer guide): a top-level
`eventType` (`notificationType` for identity feedback), the `mail` object and one type-specific object.
Where each documented field goes: mail.timestamp -> send_timestamp; mail.source -> sending_address;
mail.destination -> destination_addresses; mail.sendingAccountId -> account_id; mail.tags -> tags (and
campaign_id, user_id, configuration_set); commonHeaders subject/from/date, sourceArn, headersTruncated ->
channel_data; the full `mail.headers` list stays in the raw backup only (it is most of a record's bytes and no
view reads it). Type-specific fields: see the handlers below; recipients -> `recipients`, times -> typed columns.
"""
from __future__ import annotations

from typing import Any

from contracts.events import InvalidEvent, empty_record, event_id_of_key, iso_to_ms
from contracts.events.ses_subscription import subscription_change
from contracts.events.vocabulary import SES_EVENT_TYPES

from .fields import put, tag_map, text_map

_DETAIL_KEY = {"send": "send", "delivery": "delivery", "bounce": "bounce", "complaint": "complaint",
               "reject": "reject", "open": "open", "click": "click", "rendering_failure": "failure",
               "delivery_delay": "deliveryDelay", "subscription": "subscription"}
_TIME_FIELD = {key: f"{key}.timestamp" for key in _DETAIL_KEY.values()}  # named in errors; spelled once
# Link tags that mark a click as an unsubscribe (the seed's Pinpoint-era `unsubscribeLinkTag`, and the plain
# name our own templates use); compared lower-cased.
UNSUBSCRIBE_LINK_TAGS = frozenset({"unsubscribelinktag", "unsubscribe"})


def is_ses(obj: dict[str, Any]) -> bool:
    return type(obj.get("mail")) is dict and ("eventType" in obj or "notificationType" in obj)


def normalize_ses(obj: dict[str, Any], arrival_ms: int) -> tuple[str, dict[str, Any]]:
    spelled = obj.get("eventType") or obj.get("notificationType")
    kind = _KINDS.get(spelled)
    if kind is None:
        raise InvalidEvent("unknown_event_type", f"SES event type {spelled!r}")
    event_type, detail_key, time_field, handle = kind
    mail = obj["mail"]
    detail = obj.get(detail_key) or {}
    if type(detail) is not dict:
        raise InvalidEvent("invalid_value", f"{detail_key} must be an object")
    message_id = mail.get("messageId")
    if not message_id:
        raise InvalidEvent("missing_field", "mail.messageId")
    sent = mail.get("timestamp")
    send_ms = iso_to_ms(sent, "mail.timestamp") if sent else None
    # When it happened: the type object's own timestamp; Send, Reject and Rendering Failure have none.
    happened = detail.get("timestamp")
    when = iso_to_ms(happened, time_field) if happened else send_ms
    if when is None:
        raise InvalidEvent("missing_field", f"{detail_key}.timestamp or mail.timestamp")

    tags = tag_map(mail.get("tags"))
    headers = mail.get("commonHeaders") or {}
    # channel_data, filled in the order of the columns' documentation, by text_map's rule (strings kept when not
    # empty, booleans as true/false, anything else through text()); the type's handler adds its fields after.
    # Spelled out field by field: a loop over (name, value) pairs or a dict through text_map measured 2-4% slower
    # on SES records, which are most of the traffic.
    data = {}
    value = headers.get("subject")
    if type(value) is str:
        if value:
            data["subject"] = value
    elif value is not None:
        put(data, "subject", value)
    value = ",".join(headers.get("from") or ())
    if value:
        data["from_header"] = value
    value = headers.get("date")
    if type(value) is str:
        if value:
            data["date_header"] = value
    elif value is not None:
        put(data, "date_header", value)
    value = mail.get("sourceArn")
    if type(value) is str:
        if value:
            data["source_arn"] = value
    elif value is not None:
        put(data, "source_arn", value)
    value = mail.get("headersTruncated")
    if value is False:
        data["headers_truncated"] = "false"
    elif value is True:
        data["headers_truncated"] = "true"
    elif value is not None:
        put(data, "headers_truncated", value)
    if "notificationType" in obj:
        data["feedback_source"] = "notification"
    row = empty_record()
    row["event_source"] = "ses"
    row["event_type"] = event_type
    row["sending_address"] = mail.get("source")
    destination = mail.get("destination")
    if type(destination) is list:
        row["destination_addresses"] = destination
    row["message_id"] = message_id
    row["user_id"] = tags.get("user_id")
    row["campaign_id"] = tags.get("campaign_id") or tags.get("campaign")
    row["account_id"] = mail.get("sendingAccountId")
    row["configuration_set"] = tags.get("ses:configuration-set")
    row["send_timestamp"] = send_ms
    row["event_timestamp"] = when
    row["arrival_timestamp"] = arrival_ms
    row["tags"] = tags
    # The type's handler fills its columns of `row` and returns its channel_data fields (None when it has none).
    extra = handle(detail, row)
    recipients = row["recipients"]
    discriminator = ",".join([r["address"] or "" for r in recipients]) if recipients else (
        extra.get("link") if extra else None)
    # make_event_id("ses", message_id, event_type, when, discriminator) with its key spelled as one f-string (this
    # runs for every SES record): f"{x}" is str(x) for every JSON value, and None is spelled ''.
    row["event_id"] = event_id_of_key(f"ses\x1f{message_id}\x1f{event_type}\x1f{when}\x1f"
                                      f"{'' if discriminator is None else discriminator}")
    if extra:
        data.update(text_map(extra))
    row["channel_data"] = data
    return "email", row


def _recipient(address: Any, status: Any = None, action: Any = None, diagnostic: Any = None) -> dict:
    return {"address": address, "status": status, "action": action, "diagnostic_code": diagnostic}


# Handlers set their columns on the row empty_record built (its keys exist, so the table order stays) and return
# their channel_data fields in a fixed order (None when they have none): this runs for every SES record.

def _send(detail: dict, row: dict) -> None:
    row["status"] = "sent"


def _delivery(detail: dict, row: dict) -> dict:
    row["status"] = "delivered"
    row["status_message"] = smtp = detail.get("smtpResponse")
    row["recipients"] = [{"address": a, "status": None, "action": None, "diagnostic_code": None}
                         for a in detail.get("recipients") or ()]
    millis = detail.get("processingTimeMillis")
    if type(millis) is int or type(millis) is float:  # map<string,double>: a number or nothing (as num_map)
        row["metrics"] = {"processing_time_millis": float(millis)}
    return {"smtp_response": smtp, "reporting_mta": detail.get("reportingMTA"),
            "remote_mta_ip": detail.get("remoteMtaIp")}


def _bounce(detail: dict, row: dict) -> dict:
    recipients = [_recipient(r.get("emailAddress"), r.get("status"), r.get("action"), r.get("diagnosticCode"))
                  for r in detail.get("bouncedRecipients") or ()]
    first = recipients[0] if recipients else _recipient(None)
    row.update(status=str(detail.get("bounceType") or "undetermined").lower(), recipients=recipients,
               status_code=first["status"], status_message=first["diagnostic_code"])
    return {"bounce_type": detail.get("bounceType"), "bounce_sub_type": detail.get("bounceSubType"),
            "feedback_id": detail.get("feedbackId"), "reporting_mta": detail.get("reportingMTA"),
            "remote_mta_ip": detail.get("remoteMtaIp")}


def _complaint(detail: dict, row: dict) -> dict:
    # The feedback type describes the report, not a recipient: it goes to channel_data, recipients keep addresses.
    row.update(status="complaint", recipients=[_recipient(r.get("emailAddress"))
                                               for r in detail.get("complainedRecipients") or ()])
    return {"feedback_id": detail.get("feedbackId"), "user_agent": detail.get("userAgent"),
            "feedback_type": detail.get("complaintFeedbackType"), "complaint_sub_type": detail.get("complaintSubType"),
            "arrival_date": detail.get("arrivalDate")}


def _reject(detail: dict, row: dict) -> dict:
    row["status"] = "rejected"
    row["status_message"] = reason = detail.get("reason")
    return {"reject_reason": reason}


def _open(detail: dict, row: dict) -> dict:
    row["status"] = "opened"
    return {"ip_address": detail.get("ipAddress"), "user_agent": detail.get("userAgent")}


def _click(detail: dict, row: dict) -> dict:
    link_tags = detail.get("linkTags") or {}
    row["status"] = "clicked"
    return {"ip_address": detail.get("ipAddress"), "user_agent": detail.get("userAgent"), "link": detail.get("link"),
            "link_tags": link_tags,
            "unsubscribe_link": True if any(str(k).lower() in UNSUBSCRIBE_LINK_TAGS for k in link_tags) else None}


def _failure(detail: dict, row: dict) -> dict:
    row["status"] = "failed"
    row["status_message"] = message = detail.get("errorMessage")
    return {"template_name": detail.get("templateName"), "error_message": message}


def _delay(detail: dict, row: dict) -> dict:
    recipients = [_recipient(r.get("emailAddress"), r.get("status"), None, r.get("diagnosticCode"))
                  for r in detail.get("delayedRecipients") or ()]
    first = recipients[0] if recipients else _recipient(None)
    expires = detail.get("expirationTime")
    row.update(status="delayed", recipients=recipients, status_code=first["status"],
               status_message=first["diagnostic_code"],
               expiration_timestamp=iso_to_ms(expires, "deliveryDelay.expirationTime") if expires else None)
    return {"delay_type": detail.get("delayType"), "reporting_mta": detail.get("reportingMTA")}


def _subscription(detail: dict, row: dict) -> dict:
    new = detail.get("newTopicPreferences") or {}
    topics = new.get("topicSubscriptionStatus") or []
    # Unsubscribed only when this event opted something out (the preferences list unchanged topics too).
    row["status"] = "unsubscribed" if subscription_change(detail).opts_out else "subscribed"
    return {"contact_list": detail.get("contactList"), "subscription_source": detail.get("source"),
            "unsubscribe_all": bool(new.get("unsubscribeAll")), "topics": topics,
            "old_topic_preferences": detail.get("oldTopicPreferences")}


_HANDLERS = {"send": _send, "delivery": _delivery, "bounce": _bounce, "complaint": _complaint, "reject": _reject,
             "open": _open, "click": _click, "rendering_failure": _failure, "delivery_delay": _delay,
             "subscription": _subscription}
# SES's spelling -> (event_type, its type object's key, that object's time field as errors name it, handler)
_KINDS = {spelled: (event_type, _DETAIL_KEY[event_type], _TIME_FIELD[_DETAIL_KEY[event_type]], _HANDLERS[event_type])
          for spelled, event_type in SES_EVENT_TYPES.items()}

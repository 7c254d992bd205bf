"""What producers inside the project put on the events stream, and the shared rules for ids and times.

Custom application events are one JSON object per Firehose record (Direct PUT, `eventsIngestPolicyArn`)::

    {"event_type": "checkout.completed",         # required, 1..128 characters, app-defined, not starting "_"
     "event_timestamp": "2026-11-25T08:00:00Z",  # required, ISO-8601 (naive = UTC) or epoch milliseconds
     "app_id": "shop-web", "user_id": "u-123", "session_id": "s-9",   # optional, <= 256 characters
     "address": "someone@example.com",           # optional: the email address or phone number concerned
     "channel": "custom",                        # optional: custom (default), email or sms
     "campaign_id": "spring-sale", "message_id": "m-1",               # optional
     "attributes": {"plan": "pro"},              # optional: string -> string (stored as tags)
     "metrics": {"basket_value": 42.5}}          # optional: string -> finite number (map<string,double>)

Unknown keys are refused (the record goes to the error prefix instead of losing the field silently).

A preference-center event is a custom event with app_id `preference-center` and event_type
`preference_center.<action>`. Page actions (open, read) concern no channel. Channel actions (optin_request,
optin, subscribe, unsubscribe, update, detach: vocabulary.PREFERENCE_CHANNEL_ACTIONS says what each means) are
ONE EVENT PER AFFECTED CHANNEL, with channel `email` or `sms`, that channel's `address` (what the subscription,
unsubscribe and opt-out views and campaign_funnel join on) and the preference center's `user_id`; attributes:
preference_center_id, source (vocabulary.PREFERENCE_SOURCES), publications (comma-separated ids),
unsubscribe_all ("true"/"false"), version. Build them with `preference_event` / `preference_change_events`:
functions/preference_api (page events) and functions/preference_sync (changes) do.

Applications Direct-PUT to their own stream (eventsAppStreamName), whose transform accepts only custom events
outside what the project reserves for its own producers (`project_reservation`: the preference center's and the
predictive solutions' app ids and event types, and on channel email or sms any event type the contract knows as
SES's or End User Messaging's, such as `click` or `text_opted_out`); the project's Lambdas and AWS services use the
main stream.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta, timezone
from hashlib import sha256
from typing import Any

from .vocabulary import (KIND_OTHER, PREFERENCE_CHANNEL_ACTIONS, PREFERENCE_PAGE_ACTIONS, PREFERENCE_PREFIX,
                         PREFERENCE_SOURCES, PREFERENCE_TYPES, SOURCE_APP, SOURCE_PREFERENCE_CENTER, partition_kind)

PREFERENCE_CENTER_APP_ID = "preference-center"
PREDICTIVE_SEGMENTATION_APP_ID = "predictive-segmentation"  # its run summaries, predictive_segmentation.run
PREDICTIVE_ENGAGEMENT_APP_ID = "predictive-engagement"  # its run summaries, predictive_engagement.run
# What only the project's own producers put on the events stream: the application stream (Direct PUT with
# eventsIngestPolicyArn) refuses these app ids and event-type prefixes, compared case-insensitively.
PROJECT_APP_IDS = (PREFERENCE_CENTER_APP_ID, PREDICTIVE_SEGMENTATION_APP_ID, PREDICTIVE_ENGAGEMENT_APP_ID)
PROJECT_EVENT_PREFIXES = (PREFERENCE_PREFIX, "predictive_segmentation.", "predictive_engagement.")
# 2015-01-01 .. 2100-01-01: anything outside is a unit mistake (seconds for ms, or microseconds) or older than
# every source (SES event publishing, End User Messaging, Pinpoint), and would land in a partition the table's
# projection (table.partition_projection_parameters, which starts at MIN_MS) never reads, so it is refused.
MIN_MS, MAX_MS = 1_420_070_400_000, 4_102_444_800_000
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ONE_MS = timedelta(milliseconds=1)


class InvalidEvent(ValueError):
    """A record that does not follow the contract; `reason` becomes a metric dimension in the transform."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def make_event_id(source: str, *parts: Any) -> str:
    """Deterministic id from the fields that identify one occurrence, so a replayed record (Firehose retry,
    re-import) gets the same id and analysts can dedupe on it. Parts: text as is, None as '', others str()."""
    items = [source]
    for part in parts:  # a plain loop: this runs for every record the transform sees
        items.append(part if type(part) is str else "" if part is None else str(part))
    return event_id_of_key("\x1f".join(items))


def event_id_of_key(key: str) -> str:
    """make_event_id of its parts already joined: source and parts as text, None as '', separated by \\x1f (the
    events transform spells the key of an SES record as one f-string, a third of the cost of the join)."""
    return sha256(key.encode()).hexdigest()[:32]


def check_ms(value: Any, field: str) -> int:
    if type(value) is not int:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InvalidEvent("missing_field", f"{field} must be epoch milliseconds")
        value = int(value)
    if not MIN_MS <= value < MAX_MS:
        raise InvalidEvent("invalid_value", f"{field}={value!r} is not epoch ms between 2015 and 2100")
    return value


# ISO string -> epoch ms of the strings already converted. Every event of one SES message repeats its
# mail.timestamp (send, delivery, open, click...), so the transform sees most send times again within a batch.
# Bounded: emptied when it reaches 8192 entries (about 1 MB), above the ~3,000 distinct times of one Lambda
# invocation (the stream's processor buffer is 1 MB, about 1,000 SES records of at most 3 times each) and small
# enough that a warm Lambda never grows with the traffic it has seen.
_MS_BY_ISO: dict[str, int] = {}
_MS_BY_ISO_LIMIT = 8192


def iso_to_ms(value: Any, field: str) -> int:
    """ISO-8601 (naive = UTC) to epoch ms with integer arithmetic: a float round trip loses a millisecond for
    some values (e.g. 2017-08-05T00:41:02.669Z)."""
    if type(value) is str:
        ms = _MS_BY_ISO.get(value)
        if ms is not None:
            return ms
    if not isinstance(value, str) or not value:
        raise InvalidEvent("missing_field", f"{field} must be an ISO-8601 timestamp")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidEvent("invalid_value", f"{field}={value[:64]!r} is not ISO-8601") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    ms = (parsed - _EPOCH) // _ONE_MS  # timedelta // timedelta: whole milliseconds, floored, in integers
    if not MIN_MS <= ms < MAX_MS:
        check_ms(ms, field)  # raises the range error
    if type(value) is str:  # only valid times are kept, so a bad one raises the same error every time
        if len(_MS_BY_ISO) >= _MS_BY_ISO_LIMIT:
            _MS_BY_ISO.clear()
        _MS_BY_ISO[value] = ms
    return ms


def ms_to_iso(ms: int) -> str:
    """Epoch ms to the ISO-8601 form SES uses (`2017-08-05T00:41:02.669Z`), exactly (integer arithmetic)."""
    moment = _EPOCH + timedelta(milliseconds=ms)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


def any_time_to_ms(value: Any, field: str) -> int:
    return iso_to_ms(value, field) if isinstance(value, str) else check_ms(value, field)


# --- custom application events -------------------------------------------------------------------------------

_TEXT_LIMITS = {"app_id": 256, "user_id": 256, "session_id": 256, "address": 512, "campaign_id": 256,
                "message_id": 256}
_CUSTOM_KEYS = frozenset({"event_type", "event_timestamp", "channel", "attributes", "metrics", *_TEXT_LIMITS})
_CUSTOM_CHANNELS = ("custom", "email", "sms")


def is_preference_event(obj: Mapping[str, Any]) -> bool:
    return obj.get("app_id") == PREFERENCE_CENTER_APP_ID or str(obj.get("event_type", "")).startswith(
        PREFERENCE_PREFIX)


def project_reservation(obj: Mapping[str, Any]) -> str | None:
    """Why an event is reserved for the project's own producers (PROJECT_APP_IDS, PROJECT_EVENT_PREFIXES), or
    None when an application may send it."""
    app_id, event_type = obj.get("app_id"), obj.get("event_type")
    if type(app_id) is str and app_id.strip().casefold() in PROJECT_APP_IDS:
        return f"app_id {app_id[:64]!r} is the project's own"
    if type(event_type) is str and event_type.strip().casefold().startswith(PROJECT_EVENT_PREFIXES):
        return f"event_type {event_type[:64]!r} is the project's own"
    # On a messaging channel the views select rows by channel and kind: an app's `click` on email, or its
    # `text_opted_out` on sms, would count as what SES or End User Messaging reported. App-defined types land in
    # kind `other`; on channel custom any type may be used.
    channel = obj.get("channel", "custom")
    if channel != "custom" and type(event_type) is str and partition_kind(event_type) != KIND_OTHER:
        return f"event_type {event_type[:64]!r} on channel {str(channel)[:16]!r} is what AWS's own sources report"
    return None


def validate_custom_event(obj: Mapping[str, Any]) -> dict[str, Any]:
    """The custom-event format above, checked; returns the event with defaults filled and the time in ms.
    (Written as plain loops rather than a pydantic model: the transform runs it for every app event.)"""
    if not _CUSTOM_KEYS.issuperset(obj):
        raise InvalidEvent("schema_violation", f"unknown keys {sorted(map(str, set(obj) - _CUSTOM_KEYS))[:5]}")
    event_type = obj.get("event_type")
    if type(event_type) is not str or not 1 <= len(event_type) <= 128 or event_type[0] == "_":
        raise InvalidEvent("schema_violation", "event_type must be 1..128 characters, not starting with '_'")
    when = obj.get("event_timestamp")
    event = {"event_type": event_type,
             "event_timestamp": when if type(when) is int and MIN_MS <= when < MAX_MS
             else any_time_to_ms(when, "event_timestamp")}
    for key, limit in _TEXT_LIMITS.items():
        value = obj.get(key)
        if value is not None and (type(value) is not str or len(value) > limit):
            raise InvalidEvent("schema_violation", f"{key} must be a string of at most {limit} characters")
        event[key] = value
    channel = obj.get("channel", "custom")
    if channel not in _CUSTOM_CHANNELS:
        raise InvalidEvent("schema_violation", f"channel must be one of {_CUSTOM_CHANNELS}")
    event["channel"] = channel
    attributes = obj.get("attributes") or {}
    if type(attributes) is not dict:
        raise InvalidEvent("schema_violation", "attributes must map strings to strings")
    for key, value in attributes.items():
        if type(value) is not str or type(key) is not str:
            raise InvalidEvent("schema_violation", "attributes must map strings to strings")
    metrics = obj.get("metrics") or {}
    if type(metrics) is not dict:
        raise InvalidEvent("schema_violation", "metrics must map strings to finite numbers")
    floats = {}
    for key, value in metrics.items():
        kind = type(value)
        if (kind is not float and kind is not int) or not math.isfinite(value):
            raise InvalidEvent("schema_violation", "metrics must map strings to finite numbers")
        floats[key] = float(value)
    event["attributes"] = attributes
    event["metrics"] = floats
    event["event_source"] = SOURCE_PREFERENCE_CENTER if is_preference_event(obj) else SOURCE_APP
    if event["event_source"] == SOURCE_PREFERENCE_CENTER:
        _check_preference_event(event)
    return event


def _check_preference_event(event: Mapping[str, Any]) -> None:
    if event["event_type"] not in PREFERENCE_TYPES:
        raise InvalidEvent("schema_violation", f"preference-center event_type must be one of {PREFERENCE_TYPES}")
    if not event["user_id"] or not event["attributes"].get("preference_center_id"):
        raise InvalidEvent("schema_violation", "a preference-center event needs user_id and preference_center_id")
    source = event["attributes"].get("source")
    if source is not None and source not in PREFERENCE_SOURCES:
        raise InvalidEvent("schema_violation", f"attributes.source must be one of {PREFERENCE_SOURCES}")
    if event["channel"] != "custom" and not event["address"]:
        raise InvalidEvent("schema_violation", "a preference-center event on email/sms needs that channel's address")
    # Channel actions on channel `custom` (no address) are the pre-contract shape: accepted and stored, but no
    # channel view can count them, so the builders below never produce them.


def custom_event(event_type: str, when: int | str, **fields: Any) -> dict[str, Any]:
    """A custom application event in the wire format, validated as the transform will validate it."""
    event = {"event_type": event_type, "event_timestamp": when,
             **{k: v for k, v in fields.items() if v is not None and v != {}}}
    validate_custom_event(event)
    return event


def preference_event(action: str, *, user_id: str, center_id: str, when: int | str, channel: str = "custom",
                     address: str | None = None, source: str | None = None, publications: Iterable[str] = (),
                     unsubscribe_all: bool = False, version: int | str | None = None,
                     campaign_id: str | None = None, **attributes: str) -> dict[str, Any]:
    """One preference-center event. Page actions (open, read) take no channel; channel actions take `email` or
    `sms` and that channel's address (the preference center's channel ids EMAIL/SMS are accepted too)."""
    channel = channel.lower()
    if action in PREFERENCE_PAGE_ACTIONS and channel != "custom":
        raise ValueError(f"preference_center.{action} concerns no channel")
    if action in PREFERENCE_CHANNEL_ACTIONS and channel not in ("email", "sms"):
        raise ValueError(f"preference_center.{action} is one event per channel: channel must be email or sms")
    attrs = {"preference_center_id": center_id, **{k: str(v) for k, v in attributes.items()}}
    if action in PREFERENCE_CHANNEL_ACTIONS:
        attrs.update(publications=",".join(sorted(publications)),
                     unsubscribe_all="true" if unsubscribe_all else "false")
    if source is not None:
        attrs["source"] = source
    if version is not None:
        attrs["version"] = str(version)
    return custom_event(PREFERENCE_PREFIX + action, when, app_id=PREFERENCE_CENTER_APP_ID, user_id=user_id,
                        channel=channel, address=address, campaign_id=campaign_id, attributes=attrs)


def preference_change_events(*, user_id: str, center_id: str, when: int | str, old: Mapping[str, Any] | None,
                             new: Mapping[str, Any], source: str, version: int | str | None = None,
                             campaign_id: str | None = None) -> list[dict[str, Any]]:
    """The channel events one preference change means (vocabulary.PREFERENCE_CHANNEL_ACTIONS).

    `old`/`new` are preference records as the preference center stores them: {"subscriptions": {publication:
    ["EMAIL", "SMS"]}, "addresses": {"EMAIL": ...} (confirmed only), "pending": {"EMAIL": ...} (awaiting
    confirmation), "confirmed_at": {"EMAIL": iso}, "unsubscribed_all": bool}; `old` is None for a new record.
    A channel's publications are in effect only at a confirmed address that is not waiting for a re-confirmation
    (pending == confirmed: re-subscribing after an opt-out); every event names at least one publication."""
    events: list[dict[str, Any]] = []

    def emit(action: str, channel: str, address: str, publications: set[str], unsubscribe_all: bool = False) -> None:
        if publications:
            events.append(preference_event(
                action, user_id=user_id, center_id=center_id, when=when, channel=channel, address=address,
                source=source, publications=publications, unsubscribe_all=unsubscribe_all, version=version,
                campaign_id=campaign_id))

    all_off = bool(new.get("unsubscribed_all")) and not (old or {}).get("unsubscribed_all")
    for channel in ("email", "sms"):
        was, now = _ChannelState(old, channel.upper()), _ChannelState(new, channel.upper())
        if now.pending and now.pending != was.pending:
            emit("optin_request", channel, now.pending, now.chosen)
        if was.address and now.address and was.address != now.address:
            emit("update", channel, now.address, now.effective)
        if was.address and not now.address and source == "detached":
            emit("detach", channel, was.address, was.effective)
        elif was.effective - now.effective:
            emit("unsubscribe", channel, was.address, was.effective - now.effective, all_off)
        if now.effective - was.effective:
            confirmed = not was.reachable or now.confirmed_at != was.confirmed_at
            emit("optin" if confirmed else "subscribe", channel, now.address, now.effective - was.effective)
    return events


class _ChannelState:
    """One channel of a stored preference record, as far as subscriptions go."""

    def __init__(self, record: Mapping[str, Any] | None, channel: str) -> None:
        record = record or {}
        self.address = (record.get("addresses") or {}).get(channel)
        self.pending = (record.get("pending") or {}).get(channel)
        self.confirmed_at = (record.get("confirmed_at") or {}).get(channel)
        self.reachable = bool(self.address) and self.pending != self.address
        self.chosen = set() if record.get("unsubscribed_all") else {
            p for p, channels in (record.get("subscriptions") or {}).items() if channel in (channels or ())}
        self.effective = self.chosen if self.reachable else set()

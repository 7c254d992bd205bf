"""Bring the downstream systems in line with one user's preferences record (old and new stream images).

Every step is state-based, not delta-based: replaying a record (a retry after a partial batch failure) writes
the same state again, so the consumer is idempotent without an idempotency table.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .settings import Settings, client

CONFIG_CACHE_SECONDS = 60
_config_cache: dict[str, tuple[float, dict[str, list[str]]]] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Change:
    event_name: str  # INSERT | MODIFY | REMOVE
    user_id: str
    center_id: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None


def apply(env: Settings, change: Change) -> None:
    publications = center_publications(env, change.center_id)
    sync_contact(env, change, publications)
    sync_sms_opt_out(env, change)
    sync_audiences(env, change)
    emit_event(env, change)


def center_publications(env: Settings, center_id: str) -> dict[str, list[str]]:
    """publication id -> channels offered, from the config table (cached briefly)."""
    with _lock:
        cached = _config_cache.get(center_id)
        if cached and time.monotonic() - cached[0] < CONFIG_CACHE_SECONDS:
            return cached[1]
    item = client("dynamodb").get_item(TableName=env.config_table,
                                       Key={"preference_center_id": {"S": center_id}}).get("Item")
    if not item:
        raise LookupError(f"preference center {center_id!r} has no configuration")
    document = json.loads(item["config"]["S"])
    publications = {p["id"]: list(p["channels"]) for c in document["categories"] for p in c["publications"]}
    with _lock:
        _config_cache[center_id] = (time.monotonic(), publications)
    return publications


def clear_cache() -> None:
    with _lock:
        _config_cache.clear()


def _address(image: dict[str, Any] | None, channel: str) -> str | None:
    return ((image or {}).get("addresses") or {}).get(channel) or None


def _active(image: dict[str, Any] | None) -> dict[str, list[str]]:
    """Effective subscriptions: none at all once the user unsubscribed from everything."""
    if not image or image.get("unsubscribed_all"):
        return {}
    return {pub: list(channels) for pub, channels in (image.get("subscriptions") or {}).items() if channels}


def sync_contact(env: Settings, change: Change, publications: dict[str, list[str]]) -> None:
    ses = client("sesv2")
    old_email, new_email = _address(change.old, "EMAIL"), _address(change.new, "EMAIL")
    if old_email and old_email != new_email:
        try:
            ses.delete_contact(ContactListName=env.contact_list_name, EmailAddress=old_email)
        except ses.exceptions.NotFoundException:
            pass  # already gone: a replay of this record
    if not new_email:
        return
    active = _active(change.new)
    topics = [{"TopicName": pub, "SubscriptionStatus": "OPT_IN" if "EMAIL" in active.get(pub, []) else "OPT_OUT"}
              for pub, channels in publications.items() if "EMAIL" in channels]
    contact = {"ContactListName": env.contact_list_name, "EmailAddress": new_email, "TopicPreferences": topics,
               "UnsubscribeAll": bool(change.new and change.new.get("unsubscribed_all"))}
    try:
        ses.create_contact(**contact)
    except ses.exceptions.AlreadyExistsException:
        ses.update_contact(**contact)


def _sms_opted_out(image: dict[str, Any] | None) -> bool:
    return not any("SMS" in channels for channels in _active(image).values())


def sync_sms_opt_out(env: Settings, change: Change) -> None:
    """Act only when the number or its status changed, so unrelated edits never undo a carrier-level STOP."""
    phone = _address(change.new, "SMS")
    if not phone:
        return
    opted_out = _sms_opted_out(change.new)
    if _address(change.old, "SMS") == phone and _sms_opted_out(change.old) == opted_out:
        return
    sms = client("pinpoint-sms-voice-v2")
    if opted_out:
        sms.put_opted_out_number(OptOutListName=env.opt_out_list_name, OptedOutNumber=phone)
        return
    try:
        sms.delete_opted_out_number(OptOutListName=env.opt_out_list_name, OptedOutNumber=phone)
    except sms.exceptions.ResourceNotFoundException:
        pass  # not on the list: nothing to undo


def _audience_rows(change: Change, image: dict[str, Any] | None) -> dict[str, str]:
    rows = {}
    for pub, channels in _active(image).items():
        for channel in channels:
            address = _address(image, channel)
            if address:
                rows[f"{change.center_id}#{pub}#{channel}"] = address
    return rows


def sync_audiences(env: Settings, change: Change) -> None:
    dynamodb = client("dynamodb")
    old_rows, new_rows = _audience_rows(change, change.old), _audience_rows(change, change.new)
    for audience in sorted(old_rows.keys() - new_rows.keys()):
        dynamodb.delete_item(TableName=env.audience_table,
                             Key={"audience": {"S": audience}, "user_id": {"S": change.user_id}})
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    for audience, address in sorted(new_rows.items()):
        if old_rows.get(audience) == address and change.event_name != "INSERT":
            continue  # unchanged row: skip the write (a replay rewrites the same value anyway)
        dynamodb.put_item(TableName=env.audience_table, Item={
            "audience": {"S": audience}, "user_id": {"S": change.user_id}, "address": {"S": address},
            "preference_center_id": {"S": change.center_id}, "updated_at": {"S": now}})


def event_type(change: Change) -> str | None:
    if change.new is None:
        return None  # erasure: nothing to report to analytics
    if change.event_name == "INSERT" and change.new.get("last_source") == "optin":
        return "optin"
    old_pairs = {(p, c) for p, chs in _active(change.old).items() for c in chs}
    new_pairs = {(p, c) for p, chs in _active(change.new).items() for c in chs}
    return "unsubscribe" if old_pairs - new_pairs else "update"


def emit_event(env: Settings, change: Change) -> None:
    kind = event_type(change)
    if not env.events_stream_name or kind is None:
        return
    new = change.new or {}
    active = _active(new)
    event = {
        "event_type": f"preference_center.{kind}",
        "event_timestamp": new.get("updated_at") or datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "app_id": "preference-center",
        "user_id": change.user_id,
        "channel": "custom",
        "attributes": {
            "preference_center_id": change.center_id,
            "source": str(new.get("last_source", "")),
            "version": str(new.get("version", "")),
            "unsubscribed_all": str(bool(new.get("unsubscribed_all"))).lower(),
            "subscriptions": ",".join(f"{p}:{'+'.join(chs)}" for p, chs in sorted(active.items())),
        },
        "metrics": {},
    }
    # Raising here fails the record, so the stream retries it: an update event is never dropped.
    client("firehose").put_record(DeliveryStreamName=env.events_stream_name,
                                  Record={"Data": (json.dumps(event, separators=(",", ":")) + "\n").encode()})

"""Bring SES, the SMS opt-out list and the audience table in line with one user's CURRENT preferences record.

Every stream record triggers a reconcile of the user's whole desired state, read from the table (the system of
record), never a diff of the record's old and new images: replays, retries and later changes of the same user
repair whatever an earlier failure left behind (a change given up to the DLQ included), and an old record
replayed late cannot roll anything back. whole_center.py does the same for every user of a center
(tools/preference_reconcile.py). Only confirmed addresses (`addresses`) are ever synced; pending ones never.

Opt-outs are never undone by anyone but the owner (opt_outs.py): a number leaves the SMS opt-out list, SES
`UnsubscribeAll` is cleared, and a topic SES shows opted out on its own subscription management (an SES
Subscription event the record has not caught up with: lost, late, or from mail sent through a configuration set
that publishes none) is turned back on, only after a newer confirmed choice of the owner. Addresses a user no
longer owns are removed from the contact list unless another user owns them now; the SMS opt-out list only ever
grows for them.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit, single_metric

from contracts.events import preference_change_events

from . import opt_outs
from .settings import Settings, client

logger = Logger(child=True)
METRICS_NAMESPACE = "engagement/preference-center"
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
    """One stream record: reconcile its user (with every address the record mentions), then report the change."""
    reconcile_user(env, change.center_id, change.user_id, hints=[change.old, change.new])
    emit_events(env, change)


def reconcile_user(env: Settings, center_id: str, user_id: str, hints: list[dict[str, Any] | None] = ()) -> None:
    publications = center_publications(env, center_id)
    record = read_record(env, center_id, user_id)
    rows = existing_rows(env, center_id, user_id, publications)
    # Every e-mail this user may have been synced with: the record's images and the audience rows still there.
    mentioned = _addresses_of(list(hints), "EMAIL") | {a for k, a in rows.items() if k.endswith("#EMAIL")}
    sync_contacts(env, center_id, user_id, record, publications, mentioned, rows)
    sync_sms_opt_out(env, record)
    sync_audiences(env, center_id, user_id, record, rows)


# --- the desired state (pure) --------------------------------------------------------------------------------

def active(record: dict[str, Any] | None) -> dict[str, list[str]]:
    """Effective subscriptions: none at all once the user unsubscribed from everything."""
    if not record or record.get("unsubscribed_all"):
        return {}
    return {pub: list(channels) for pub, channels in (record.get("subscriptions") or {}).items() if channels}


def address(record: dict[str, Any] | None, channel: str) -> str | None:
    return ((record or {}).get("addresses") or {}).get(channel) or None


def desired_rows(center_id: str, record: dict[str, Any] | None) -> dict[str, str]:
    """Audience key `<center>#<publication>#<CHANNEL>` -> confirmed address, for every active subscription."""
    rows = {}
    for pub, channels in active(record).items():
        for channel in channels:
            if address(record, channel):
                rows[f"{center_id}#{pub}#{channel}"] = address(record, channel)
    return rows


def desired_topics(record: dict[str, Any] | None, publications: dict[str, list[str]]) -> dict[str, str]:
    subscribed = active(record)
    return {pub: "OPT_IN" if "EMAIL" in subscribed.get(pub, []) else "OPT_OUT"
            for pub, channels in publications.items() if "EMAIL" in channels}


def sms_opted_out(record: dict[str, Any] | None) -> bool:
    return not any("SMS" in channels for channels in active(record).values())


def _addresses_of(images: list[dict[str, Any] | None], channel: str) -> set[str]:
    return {a for image in images if (a := address(image, channel))}


# --- reading ---------------------------------------------------------------------------------------------------

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


def read_record(env: Settings, center_id: str, user_id: str) -> dict[str, Any] | None:
    from boto3.dynamodb.types import TypeDeserializer

    item = client("dynamodb").get_item(TableName=env.preferences_table, ConsistentRead=True, Key={
        "user_id": {"S": user_id}, "preference_center_id": {"S": center_id}}).get("Item")
    if not item:
        return None
    deserializer = TypeDeserializer()
    return {k: deserializer.deserialize(v) for k, v in item.items()}


def owner(env: Settings, center_id: str, channel: str, value: str) -> str | None:
    item = client("dynamodb").get_item(TableName=env.addresses_table, ConsistentRead=True, Key={
        "address_key": {"S": f"{center_id}#{channel}#{value}"}}).get("Item") or {}
    return item.get("owner", {}).get("S")


def existing_rows(env: Settings, center_id: str, user_id: str, publications: dict[str, list[str]]) -> dict[str, str]:
    """The user's audience rows as stored now (one BatchGetItem per 100 possible keys)."""
    keys = [f"{center_id}#{pub}#{channel}" for pub, channels in publications.items() for channel in channels]
    found: dict[str, str] = {}
    for start in range(0, len(keys), 100):
        request = {env.audience_table: {"Keys": [{"audience": {"S": k}, "user_id": {"S": user_id}}
                                                 for k in keys[start:start + 100]], "ConsistentRead": True}}
        while request:
            response = client("dynamodb").batch_get_item(RequestItems=request)
            for item in response.get("Responses", {}).get(env.audience_table, []):
                found[item["audience"]["S"]] = item["address"]["S"]
            request = response.get("UnprocessedKeys") or {}
    return found


# --- writing ---------------------------------------------------------------------------------------------------

def sync_contacts(env: Settings, center_id: str, user_id: str, record: dict[str, Any] | None,
                  publications: dict[str, list[str]], mentioned: set[str], rows: dict[str, str]) -> None:
    ses = client("sesv2")
    email = address(record, "EMAIL")
    for stale in sorted(mentioned - {email}):
        # Not ours any more: remove the contact unless someone else now owns (and so syncs) it.
        if owner(env, center_id, "EMAIL", stale) is None:
            try:
                ses.delete_contact(ContactListName=env.contact_list_name, EmailAddress=stale)
            except ses.exceptions.NotFoundException:
                pass
    if email:
        sync_contact(env, center_id, record, email, publications, rows)


def sync_contact(env: Settings, center_id: str, record: dict[str, Any] | None, email: str,
                 publications: dict[str, list[str]], rows: dict[str, str]) -> None:
    ses = client("sesv2")
    topics = desired_topics(record, publications)
    unsubscribe_all = bool(record and record.get("unsubscribed_all"))
    try:
        existing = ses.get_contact(ContactListName=env.contact_list_name, EmailAddress=email)
    except ses.exceptions.NotFoundException:
        existing = None
    if held := opt_outs.held(center_id, record, email, topics, existing, rows):
        topics.update(dict.fromkeys(held, "OPT_OUT"))
        with single_metric(name="SesOptOutsHeld", unit=MetricUnit.Count, value=len(held),
                           namespace=METRICS_NAMESPACE):
            logger.warning("SES opt-outs the record has not heard of are kept", extra={"topics": sorted(held)})
    if existing is not None and existing.get("UnsubscribeAll") and not unsubscribe_all:
        # Cleared only by a confirmation of this address newer than the contact's last change (which includes
        # an unsubscribe-all made through SES's own unsubscribe page).
        unsubscribe_all = not opt_outs.confirmed_after(record, "EMAIL", existing.get("LastUpdatedTimestamp"))
    contact = {"ContactListName": env.contact_list_name, "EmailAddress": email, "UnsubscribeAll": unsubscribe_all,
               "TopicPreferences": [{"TopicName": t, "SubscriptionStatus": s} for t, s in sorted(topics.items())]}
    if existing is None:
        ses.create_contact(**contact)
        return
    current = {t["TopicName"]: t["SubscriptionStatus"] for t in existing.get("TopicPreferences", [])}
    if current == topics and bool(existing.get("UnsubscribeAll")) == unsubscribe_all:
        return  # already in the desired state: nothing to write
    ses.update_contact(**contact)


def sync_sms_opt_out(env: Settings, record: dict[str, Any] | None) -> None:
    number = address(record, "SMS")
    if not number:
        return  # a number nobody owns keeps whatever opt-out it has
    sms = client("pinpoint-sms-voice-v2")
    listed = sms.describe_opted_out_numbers(OptOutListName=env.opt_out_list_name,
                                            OptedOutNumbers=[number]).get("OptedOutNumbers", [])
    if sms_opted_out(record):
        if not listed:
            sms.put_opted_out_number(OptOutListName=env.opt_out_list_name, OptedOutNumber=number)
        return
    if listed and opt_outs.confirmed_after(record, "SMS", listed[0].get("OptedOutTimestamp")):
        try:
            sms.delete_opted_out_number(OptOutListName=env.opt_out_list_name, OptedOutNumber=number)
        except sms.exceptions.ResourceNotFoundException:
            pass  # removed meanwhile: nothing to undo


def sync_audiences(env: Settings, center_id: str, user_id: str, record: dict[str, Any] | None,
                   rows: dict[str, str]) -> None:
    dynamodb = client("dynamodb")
    wanted = desired_rows(center_id, record)
    for audience in sorted(rows.keys() - wanted.keys()):
        dynamodb.delete_item(TableName=env.audience_table,
                             Key={"audience": {"S": audience}, "user_id": {"S": user_id}})
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    for audience, value in sorted(wanted.items()):
        if rows.get(audience) == value:
            continue
        dynamodb.put_item(TableName=env.audience_table, Item={
            "audience": {"S": audience}, "user_id": {"S": user_id}, "address": {"S": value},
            "preference_center_id": {"S": center_id}, "updated_at": {"S": now}})


# --- events for the events database --------------------------------------------------------------------------

# The store's sources (functions/preference_api/store.py `Source`) as the events contract names them.
EVENT_SOURCES = {"preference_page": "page", "one_click": "one_click", "optin": "optin",
                 "confirmation": "confirmation", "detached": "detached", "sms_keyword": "sms_keyword",
                 "ses_subscription": "ses_subscription", "api": "api"}


def preference_events(change: Change) -> list[dict[str, Any]]:
    """The events-database events one stored change means, built by the events contract: one per affected
    channel, with that channel's address (what the subscription, unsubscribe and opt-out views join on)."""
    if change.new is None:
        return []  # erasure: nothing to report to analytics
    new = change.new
    return preference_change_events(
        user_id=change.user_id, center_id=change.center_id, old=change.old, new=new,
        when=new.get("updated_at") or datetime.now(UTC).isoformat(timespec="milliseconds"),
        source=EVENT_SOURCES.get(str(new.get("last_source"))), version=new.get("version"),
        campaign_id=new.get("last_campaign_id"))


def emit_events(env: Settings, change: Change) -> None:
    if not env.events_stream_name:
        return
    for event in preference_events(change):
        # Raising here fails the record, so the stream retries it: a change's event is never dropped (a replayed
        # record yields the same events, which the transform gives the same event_id).
        client("firehose").put_record(DeliveryStreamName=env.events_stream_name,
                                      Record={"Data": (json.dumps(event, separators=(",", ":")) + "\n").encode()})

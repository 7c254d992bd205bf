"""Preferences and the consent log in DynamoDB.

Every change is one transaction: the preferences item, conditioned on the version the client saw (optimistic
concurrency, so two tabs never overwrite each other silently), plus an append-only consent record (and, for a
confirmation, the address registry and a detached previous owner: addresses.py). Either all are written or
none, so the consent log can be trusted as evidence. `addresses` holds only CONFIRMED addresses (the only ones
preference_sync acts on); an address awaiting confirmation sits in `pending`, its single-use nonce in `nonces`.
"""
from __future__ import annotations

import hashlib
import json
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from .errors import Busy, StaleRead, VersionConflict

Source = Literal["preference_page", "one_click", "optin", "confirmation", "detached", "sms_keyword",
                 "ses_subscription", "api"]
FIELDS = ("addresses", "pending", "confirmed_at", "attributes", "subscriptions", "unsubscribed_all", "language")
# Kept with the record but never shown or diffed: the single-use confirmation nonce per pending channel; the
# last STOP/START reply applied (sms_keywords.py: its time, and what the STOP turned off so START can restore it);
# when each subscription was last turned on (`<publication>#<CHANNEL>`, and `all` for lifting unsubscribe-all),
# so an opt-out reported late by SES never overrides a newer choice (ses_subscriptions.py, preference_sync); the
# last SES opt-in refused (ses_subscriptions.py).
PRIVATE_FIELDS = ("nonces", "sms_keyword", "opted_in_at", "ses_subscription")
OPTED_IN_ALL = "all"
TRANSACTION_ATTEMPTS = 4
BACKOFF_SECONDS = 0.05
# DynamoDB answers that mean "try again later", never "your request was wrong".
TRANSIENT_CODES = {"ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
                   "TransactionInProgressException", "InternalServerError", "ServiceUnavailable"}


@dataclass(frozen=True)
class RequestMeta:
    source: Source
    source_ip: str = ""
    user_agent: str = ""
    request_id: str = ""
    detail: str = ""
    """What the consent log should say beyond the changes (e.g. which SMS keyword, in which reply)."""
    campaign_id: str = ""
    """The campaign whose message led to this change (a one-click link names it); kept on the record as
    `last_campaign_id` for the events the sync reports, and cleared by any other change."""


def empty_preferences(center_id: str, user_id: str) -> dict[str, Any]:
    return {"user_id": user_id, "preference_center_id": center_id, "version": 0, "addresses": {}, "pending": {},
            "confirmed_at": {}, "nonces": {}, "attributes": {}, "subscriptions": {}, "unsubscribed_all": False,
            "language": None}


def get_preferences(dynamodb: Any, table: str, center_id: str, user_id: str) -> dict[str, Any] | None:
    item = call(dynamodb.get_item,TableName=table, ConsistentRead=True,
                             Key={"user_id": {"S": user_id}, "preference_center_id": {"S": center_id}}).get("Item")
    return _from_item(item) if item else None


def public_view(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record.get(key) for key in ("user_id", "preference_center_id", "version", *FIELDS)}


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-level changes, e.g. {"field": "subscriptions.weekly", "old": ["EMAIL"], "new": null}."""
    changes = []
    for field in FIELDS:
        before, after = old.get(field), new.get(field)
        if isinstance(before, dict) or isinstance(after, dict):
            before, after = before or {}, after or {}
            for key in sorted(before.keys() | after.keys()):
                if before.get(key) != after.get(key):
                    changes.append({"field": f"{field}.{key}", "old": before.get(key), "new": after.get(key)})
        elif before != after:
            changes.append({"field": field, "old": before, "new": after})
    return changes


def save(dynamodb: Any, tables: tuple[str, str], current: dict[str, Any], desired: dict[str, Any],
         expected_version: int, meta: RequestMeta, extra_items: list[dict[str, Any]] = ()) -> dict[str, Any]:
    """Write `desired` over `current` if the stored version is still `expected_version`.

    Returns the stored record (unchanged when nothing changed). Raises VersionConflict on a stale version,
    StaleRead when one of `extra_items`' conditions failed (re-read and retry), Busy when DynamoDB stays busy.
    """
    preferences_table, consent_table = tables
    if current["version"] != expected_version:
        raise VersionConflict(current["version"])
    changes = diff(current, desired)
    if not changes and not extra_items and all(desired.get(f) == current.get(f) for f in PRIVATE_FIELDS):
        return current
    record, items = record_items(tables, current, desired, expected_version, meta, changes)
    transact(dynamodb, [*items, *extra_items], on_condition=lambda index: _stale(
        index, dynamodb, preferences_table, record))
    return record


def record_items(tables: tuple[str, str], current: dict[str, Any], desired: dict[str, Any], expected_version: int,
                 meta: RequestMeta, changes: list[dict[str, Any]] | None = None
                 ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The new record and its two transaction items: the conditioned preferences Put and the consent Put."""
    preferences_table, consent_table = tables
    changes = diff(current, desired) if changes is None else changes
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    record = {**{k: v for k, v in current.items() if k != "last_campaign_id"},
              **{k: desired[k] for k in (*FIELDS, *PRIVATE_FIELDS) if k in desired},
              "version": expected_version + 1, "updated_at": now, "last_source": meta.source}
    if opted_in := opted_in_at(current, desired, now):
        record["opted_in_at"] = opted_in
    if meta.campaign_id:
        record["last_campaign_id"] = meta.campaign_id
    record.setdefault("created_at", now)
    condition = ({"ConditionExpression": "attribute_not_exists(user_id)"} if expected_version == 0 else
                 {"ConditionExpression": "#v = :expected", "ExpressionAttributeNames": {"#v": "version"},
                  "ExpressionAttributeValues": {":expected": {"N": str(expected_version)}}})
    consent = _consent_item(record, changes, now, meta)
    return record, [{"Put": {"TableName": preferences_table, "Item": _to_item(record), **condition}},
                    {"Put": {"TableName": consent_table, "Item": _to_item(consent),
                             "ConditionExpression": "attribute_not_exists(subject)"}}]


def opted_in_at(current: dict[str, Any], desired: dict[str, Any], now: str) -> dict[str, str]:
    """`current`'s opt-in times, with `now` for every subscription `desired` turns on (and for `all` when it
    lifts unsubscribe-all)."""
    times = dict(current.get("opted_in_at") or {})
    before, after = current.get("subscriptions") or {}, desired.get("subscriptions") or {}
    for publication, channels in after.items():
        for channel in set(channels or ()) - set(before.get(publication) or ()):
            times[f"{publication}#{channel}"] = now
    if current.get("unsubscribed_all") and desired.get("unsubscribed_all") is False:
        times[OPTED_IN_ALL] = now
    return times


@dataclass(frozen=True)
class Decision:
    """What an event-driven change does to one record: `desired` is saved (None: nothing to write), `outcome`
    is what the caller counts, `detail` what the consent record adds to the request's own detail."""
    outcome: str
    desired: dict[str, Any] | None = None
    detail: str = ""


def update_record(dynamodb: Any, tables: tuple[str, str], center_id: str, user_id: str,
                  decide: Callable[[dict[str, Any] | None], Decision], meta: RequestMeta,
                  attempts: int = 3) -> str:
    """Read the record, `decide`, save what it decided; read and decide again when another writer got there
    first (VersionConflict), up to `attempts` times. Returns the decision's outcome."""
    for attempt in range(attempts):
        current = get_preferences(dynamodb, tables[0], center_id, user_id)
        decision = decide(current)
        if decision.desired is None or current is None:
            return decision.outcome
        detail = "; ".join(d for d in (meta.detail, decision.detail) if d)
        try:
            save(dynamodb, tables, current, decision.desired, current["version"], replace(meta, detail=detail))
            return decision.outcome
        except VersionConflict:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _stale(index: int, dynamodb: Any, table: str, record: dict[str, Any]) -> Exception:
    if index == 0:
        latest = get_preferences(dynamodb, table, record["preference_center_id"], record["user_id"])
        return VersionConflict(latest["version"] if latest else 0)
    return StaleRead(f"transaction item {index} changed since it was read")


def transact(dynamodb: Any, items: list[dict[str, Any]], on_condition: Any) -> None:
    """TransactWriteItems, retried with jittered backoff while DynamoDB reports a conflicting transaction or
    throttling; a failed condition becomes `on_condition(index of the item)`; still busy at the end: Busy."""
    for attempt in range(TRANSACTION_ATTEMPTS):
        try:
            dynamodb.transact_write_items(TransactItems=items)
            return
        except dynamodb.exceptions.TransactionCanceledException as exc:
            codes = [reason.get("Code", "None") for reason in exc.response.get("CancellationReasons", [])]
            failed = next((i for i, code in enumerate(codes) if code == "ConditionalCheckFailed"), None)
            if failed is not None:
                raise on_condition(failed) from None
            if not any(code in TRANSIENT_CODES | {"TransactionConflict"} for code in codes) and codes:
                raise
        except dynamodb.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in TRANSIENT_CODES:
                raise
        if attempt < TRANSACTION_ATTEMPTS - 1:
            time.sleep(BACKOFF_SECONDS * 2 ** attempt * (0.5 + random.random()))
    raise Busy("the preferences store stayed busy")


def call(operation: Any, **kwargs: Any) -> Any:
    """One DynamoDB call; throttling that outlasts botocore's own retries becomes Busy (503), not a 500."""
    try:
        return operation(**kwargs)
    except Exception as exc:
        code = getattr(exc, "response", {}).get("Error", {}).get("Code")
        if code in TRANSIENT_CODES:
            raise Busy(code) from None
        raise


def _consent_item(record: dict[str, Any], changes: list[dict[str, Any]], now: str,
                  meta: RequestMeta) -> dict[str, Any]:
    return {
        "subject": f"{record['preference_center_id']}#{record['user_id']}",
        "recorded_at": f"{now}#{uuid.uuid4()}",
        "user_id": record["user_id"],
        "preference_center_id": record["preference_center_id"],
        "source": meta.source,
        "version": record["version"],
        "changes": json.dumps(changes, sort_keys=True),
        # Hashed: enough to correlate repeated requests as evidence without keeping raw IPs (data minimisation).
        "ip_hash": _sha256(meta.source_ip),
        "user_agent_hash": _sha256(meta.user_agent),
        "request_id": meta.request_id,
        **({"detail": meta.detail} if meta.detail else {}),
        **({"campaign_id": meta.campaign_id} if meta.campaign_id else {}),
    }


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest() if value else ""


def _to_item(record: dict[str, Any]) -> dict[str, Any]:
    from boto3.dynamodb.types import TypeSerializer  # lazy, see settings.py

    serializer = TypeSerializer()
    return {k: serializer.serialize(v) for k, v in record.items() if v is not None}


def _from_item(item: dict[str, Any]) -> dict[str, Any]:
    from boto3.dynamodb.types import TypeDeserializer

    deserializer = TypeDeserializer()
    record = {k: _plain(deserializer.deserialize(v)) for k, v in item.items()}
    for key, default in (("addresses", {}), ("pending", {}), ("confirmed_at", {}), ("nonces", {}),
                         ("attributes", {}), ("subscriptions", {}), ("unsubscribed_all", False), ("language", None)):
        record.setdefault(key, default)
    return record


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value

"""Preferences and the consent log in DynamoDB.

Every change is one transaction: the preferences item, conditioned on the version the client saw (optimistic
concurrency, so two tabs never overwrite each other silently), plus an append-only consent record. Either both
are written or neither, so the consent log can be trusted as evidence.
"""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from .errors import VersionConflict

Source = Literal["preference_page", "one_click", "optin", "api"]
FIELDS = ("addresses", "attributes", "subscriptions", "unsubscribed_all", "language")


@dataclass(frozen=True)
class RequestMeta:
    source: Source
    source_ip: str = ""
    user_agent: str = ""
    request_id: str = ""


def empty_preferences(center_id: str, user_id: str) -> dict[str, Any]:
    return {"user_id": user_id, "preference_center_id": center_id, "version": 0, "addresses": {},
            "attributes": {}, "subscriptions": {}, "unsubscribed_all": False, "language": None}


def get_preferences(dynamodb: Any, table: str, center_id: str, user_id: str) -> dict[str, Any] | None:
    item = dynamodb.get_item(TableName=table, ConsistentRead=True,
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
         expected_version: int, meta: RequestMeta) -> dict[str, Any]:
    """Write `desired` over `current` if the stored version is still `expected_version`.

    Returns the stored record (unchanged when nothing changed). Raises VersionConflict on a stale version.
    """
    preferences_table, consent_table = tables
    if current["version"] != expected_version:
        raise VersionConflict(current["version"])
    changes = diff(current, desired)
    if not changes:
        return current
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    record = {**current, **{k: desired[k] for k in FIELDS if k in desired}, "version": expected_version + 1,
              "updated_at": now, "last_source": meta.source}
    record.setdefault("created_at", now)
    condition = ({"ConditionExpression": "attribute_not_exists(user_id)"} if expected_version == 0 else
                 {"ConditionExpression": "#v = :expected", "ExpressionAttributeNames": {"#v": "version"},
                  "ExpressionAttributeValues": {":expected": {"N": str(expected_version)}}})
    consent = _consent_item(record, changes, now, meta)
    try:
        dynamodb.transact_write_items(TransactItems=[
            {"Put": {"TableName": preferences_table, "Item": _to_item(record), **condition}},
            {"Put": {"TableName": consent_table, "Item": _to_item(consent),
                     "ConditionExpression": "attribute_not_exists(subject)"}},
        ])
    except dynamodb.exceptions.TransactionCanceledException as exc:
        reasons = exc.response.get("CancellationReasons", [])
        if reasons and reasons[0].get("Code") == "ConditionalCheckFailed":
            latest = get_preferences(dynamodb, preferences_table, record["preference_center_id"],
                                     record["user_id"])
            raise VersionConflict(latest["version"] if latest else 0) from None
        raise
    return record


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
    for key, default in (("addresses", {}), ("attributes", {}), ("subscriptions", {}),
                         ("unsubscribed_all", False), ("language", None)):
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

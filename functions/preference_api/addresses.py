"""The address registry: which user record owns a confirmed address, and how many confirmations it was sent.

One item per `<center>#<CHANNEL>#<address>`. `owner` is the user whose record holds the address as confirmed;
at most one record can (two users never share an address silently). When a second record confirms an address
that another record owns, the confirmed newcomer wins and the other record is detached: it loses the address
and that channel's subscriptions, with a consent entry of its own (a recycled phone number, a shared mailbox
moving to its new holder). `day`/`sent` count confirmation messages per UTC day, so nobody can mail-bomb an
address through the confirmation sender; the count is written in the same transaction as the change that sends
the message.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .errors import RateLimited
from .store import call


def key(center_id: str, channel: str, address: str) -> dict[str, Any]:
    return {"address_key": {"S": f"{center_id}#{channel}#{address}"}}


def owner(dynamodb: Any, table: str, center_id: str, channel: str, address: str) -> str | None:
    item = call(dynamodb.get_item, TableName=table, Key=key(center_id, channel, address),
                ConsistentRead=True).get("Item") or {}
    return item.get("owner", {}).get("S")


def confirmation_item(dynamodb: Any, table: str, center_id: str, channel: str, address: str,
                      limit: int, now: datetime | None = None) -> dict[str, Any]:
    """Transaction item counting one confirmation message for the address today; RateLimited when `limit` were
    sent. It goes into the change's own transaction, conditioned on the count read here, so a request refused
    for any reason (a stale version, another address's limit) counts nothing; a concurrent count makes the
    transaction fail and the caller re-reads."""
    day = (now or datetime.now(UTC)).strftime("%Y-%m-%d")
    item = call(dynamodb.get_item, TableName=table, Key=key(center_id, channel, address),
                ConsistentRead=True).get("Item") or {}
    names = {"#d": "day"}
    if item.get("day", {}).get("S") == day:
        sent = int(item.get("sent", {}).get("N", "0"))
        if sent >= limit:
            raise RateLimited("confirmation limit reached for this address")
        return {"Update": {"TableName": table, "Key": key(center_id, channel, address),
                           "UpdateExpression": "SET sent = :next", "ConditionExpression": "#d = :day AND sent = :sent",
                           "ExpressionAttributeNames": names, "ExpressionAttributeValues": {
                               ":next": {"N": str(sent + 1)}, ":day": {"S": day}, ":sent": {"N": str(sent)}}}}
    return {"Update": {"TableName": table, "Key": key(center_id, channel, address),
                       "UpdateExpression": "SET #d = :day, sent = :one",
                       "ConditionExpression": "attribute_not_exists(#d) OR #d <> :day",
                       "ExpressionAttributeNames": names,
                       "ExpressionAttributeValues": {":one": {"N": "1"}, ":day": {"S": day}}}}


def claim_item(table: str, center_id: str, channel: str, address: str, user_id: str, previous_owner: str | None,
               now: str) -> dict[str, Any]:
    """Transaction item: `user_id` becomes the owner, if the owner is still the one that was read."""
    condition = ("attribute_not_exists(#o)" if previous_owner is None else "#o = :previous")
    values: dict[str, Any] = {":user": {"S": user_id}, ":now": {"S": now}}
    if previous_owner is not None:
        values[":previous"] = {"S": previous_owner}
    return {"Update": {"TableName": table, "Key": key(center_id, channel, address),
                       "UpdateExpression": "SET #o = :user, confirmed_at = :now", "ConditionExpression": condition,
                       "ExpressionAttributeNames": {"#o": "owner"}, "ExpressionAttributeValues": values}}


def release_item(table: str, center_id: str, channel: str, address: str, user_id: str) -> dict[str, Any]:
    """Transaction item: the address is no longer owned, if `user_id` owned it (nobody else's claim is touched)."""
    return {"Update": {"TableName": table, "Key": key(center_id, channel, address),
                       "UpdateExpression": "REMOVE #o, confirmed_at", "ConditionExpression": "#o = :user OR "
                       "attribute_not_exists(#o)", "ExpressionAttributeNames": {"#o": "owner"},
                       "ExpressionAttributeValues": {":user": {"S": user_id}}}}


def detached(record: dict[str, Any], channel: str) -> dict[str, Any]:
    """`record` after losing its confirmed `channel` address to another owner: no address, no subscriptions
    on that channel (the preferences item must never name a channel it cannot reach)."""
    subscriptions = {pub: [c for c in channels if c != channel] for pub, channels in record["subscriptions"].items()}
    return {**record, "addresses": {k: v for k, v in record["addresses"].items() if k != channel},
            "confirmed_at": {k: v for k, v in record.get("confirmed_at", {}).items() if k != channel},
            "subscriptions": {pub: channels for pub, channels in subscriptions.items() if channels}}

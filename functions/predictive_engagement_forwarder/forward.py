"""EventBridge events (SES events of the stack's bus, custom app events) -> Personalize PutEvents.

Events are grouped per (user, session), at most 10 per call (the PutEvents limit), so 1,000 events from
active users cost about 100 calls rather than 1,000. A throttled or failing call is retried with jittered
exponential backoff; a group still failing after the attempts is reported back, so SQS redelivers exactly those
messages and, after the queue's maxReceiveCount, keeps them in the dead-letter queue: nothing is lost.
Events that do not count (other types, no user, no item id, an id Personalize refuses, as the batch export
leaves out) are acknowledged and counted, not retried; one whose values cannot be read is counted as
unparseable and reported back alone (the dead-letter queue keeps it).
"""
from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from contracts.personalize import MAX_ID_LENGTH, item_id_from

BATCH_LIMIT = 10
SES_TYPES = {"Click": "click", "Open": "open", "Delivery": "delivery", "Send": "send"}
RETRYABLE = {"ThrottlingException", "TooManyRequestsException", "ServiceUnavailable", "InternalServerError",
             "RequestLimitExceeded"}


@dataclass(frozen=True)
class Interaction:
    message_id: str
    user_id: str
    session_id: str
    event_type: str
    item_id: str
    sent_at: datetime
    event_value: float
    event_id: str


def _ms(value: Any) -> datetime:
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc)
    parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def interaction(message_id: str, event: dict[str, Any], sources: tuple[str, ...],
                values: dict[str, float]) -> Interaction | str:
    """The interaction an EventBridge event carries, or the reason it does not count."""
    detail = event.get("detail") or {}
    if not isinstance(detail, dict):
        return "malformed"
    if isinstance(detail.get("mail"), dict):  # SES event (EventBridge detail = the SES event record)
        mail = detail["mail"]
        event_type = SES_TYPES.get(str(detail.get("eventType")), str(detail.get("eventType", "")).lower())
        tags = {k: ",".join(v) if isinstance(v, list) else str(v) for k, v in (mail.get("tags") or {}).items()}
        body = detail.get(event_type) if isinstance(detail.get(event_type), dict) else {}
        link, user = body.get("link"), tags.get("user_id")
        session, when = mail.get("messageId") or "", body.get("timestamp") or mail.get("timestamp")
    elif "event_type" in detail:  # custom application event (the events database's documented format)
        event_type, tags = str(detail["event_type"]), {k: str(v) for k, v in (detail.get("attributes") or {}).items()}
        link, user = None, detail.get("user_id")
        session, when = detail.get("session_id") or "", detail.get("event_timestamp")
    else:
        return "unknown_source"
    if event_type not in values:
        return "not_counted"
    if not user:
        return "no_user"
    item = item_id_from(sources, event_type, tags, link)
    if not item:
        return "missing_item_id"
    user, session = str(user), str(session or user)
    if not all(0 < len(value) <= MAX_ID_LENGTH and value.isprintable() for value in (user, session, item)):
        return "invalid_id"  # PutEvents would refuse the whole call; the batch export leaves these out too
    try:
        sent_at = _ms(when)
    except (TypeError, ValueError):
        return "malformed"
    return Interaction(message_id, user, session, event_type, item, sent_at,
                       values[event_type], str(event.get("id") or message_id)[:256])


def calls(interactions: list[Interaction]) -> list[list[Interaction]]:
    """Groups of at most 10 events sharing a user and session (one PutEvents call each)."""
    groups: dict[tuple[str, str], list[Interaction]] = defaultdict(list)
    for item in interactions:
        groups[(item.user_id, item.session_id)].append(item)
    return [events[i:i + BATCH_LIMIT] for events in groups.values() for i in range(0, len(events), BATCH_LIMIT)]


def put_group(client: Any, tracking_id: str, group: list[Interaction], max_attempts: int,
              sleep: Callable[[float], None] = time.sleep) -> bool:
    first = group[0]
    request = {"trackingId": tracking_id, "userId": first.user_id, "sessionId": first.session_id,
               "eventList": [{"eventId": i.event_id, "eventType": i.event_type, "itemId": i.item_id,
                              "eventValue": i.event_value, "sentAt": i.sent_at} for i in group]}
    for attempt in range(max_attempts):
        try:
            client.put_events(**request)
            return True
        except Exception as error:  # noqa: BLE001 - botocore ClientError or a connection error
            code = getattr(error, "response", {}).get("Error", {}).get("Code", "")
            if code and code not in RETRYABLE:
                return False  # e.g. a validation error: retrying cannot help; SQS keeps it for the DLQ
            if attempt + 1 < max_attempts:
                sleep(min(5.0, 0.1 * 2 ** attempt) * random.uniform(0.5, 1.0))
    return False


def forward(client: Any, tracking_id: str, records: list[tuple[str, dict[str, Any]]], sources: tuple[str, ...],
            values: dict[str, float], max_attempts: int,
            sleep: Callable[[float], None] = time.sleep) -> tuple[list[str], Counter]:
    """(message ids to retry, counts). `records` are (SQS message id, EventBridge event)."""
    counts: Counter = Counter()
    counted, failed = [], []
    for message_id, event in records:
        try:
            result = interaction(message_id, event, sources, values)
        except Exception:  # noqa: BLE001 - a value we cannot read (epoch out of range, a list for an object...):
            counts["unparseable"] += 1  # kept for the dead-letter queue, and the rest of the batch goes on
            failed.append(message_id)
            continue
        if isinstance(result, str):
            counts[result] += 1
        else:
            counted.append(result)
    for group in calls(counted):
        counts["put_events_calls"] += 1
        if put_group(client, tracking_id, group, max_attempts, sleep):
            counts["forwarded"] += len(group)
        else:
            counts["failed"] += len(group)
            failed += [i.message_id for i in group]
    return failed, counts

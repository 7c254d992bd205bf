"""Who may lift an opt-out: the rules the sync applies before it writes what the record wants.

An opt-out stands until its owner's confirmed action is newer than it: a number leaves the SMS opt-out list only
when its owner confirmed it after it was opted out; SES `UnsubscribeAll` is cleared only when the e-mail was
confirmed after the contact last changed; and a topic SES shows opted out although the sync last put it in was
opted out on SES's own subscription management, which stays so until the record catches up (its Subscription
event applied, functions/preference_api/ses_subscriptions.py) or the owner turned that topic on, or confirmed the
address, after the contact last changed. That last rule costs nothing extra: the sync reads the contact and the
user's audience rows before writing anyway.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def moment(value: Any) -> datetime | None:
    """A stored ISO-8601 time or a boto3 datetime (naive = UTC); None when it is neither."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _after(value: Any, since: Any) -> bool:
    later, then = moment(value) if value else None, moment(since)
    return later is not None and then is not None and later > then


def confirmed_after(record: dict[str, Any] | None, channel: str, since: Any) -> bool:
    return _after(((record or {}).get("confirmed_at") or {}).get(channel), since)


def chosen_after(record: dict[str, Any] | None, topic: str, since: Any) -> bool:
    """The owner turned the topic's e-mail on (store.opted_in_at), or confirmed the e-mail, after `since`."""
    return (_after(((record or {}).get("opted_in_at") or {}).get(f"{topic}#EMAIL"), since)
            or confirmed_after(record, "EMAIL", since))


def held(center_id: str, record: dict[str, Any] | None, email: str, topics: dict[str, str],
         existing: dict[str, Any] | None, rows: dict[str, str]) -> set[str]:
    """Topics to keep opted out although the record wants them: SES has them OPT_OUT, this sync last put them
    OPT_IN for this e-mail (the user's audience row `<center>#<topic>#EMAIL` holds it: rows follow the record and
    are written after the contact), and the owner has not chosen them since the contact last changed. A topic
    the sync itself left opted out has no row, so a new subscription is never held."""
    if existing is None:
        return set()
    current = {t["TopicName"]: t["SubscriptionStatus"] for t in existing.get("TopicPreferences", [])}
    changed = existing.get("LastUpdatedTimestamp")
    return {topic for topic, status in topics.items()
            if status == "OPT_IN" and current.get(topic) == "OPT_OUT"
            and rows.get(f"{center_id}#{topic}#EMAIL") == email and not chosen_after(record, topic, changed)}

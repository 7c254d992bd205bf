"""When a preference record's owner last chose: the times the record keeps, read one way by everything that must
decide whether the owner's own choice is newer than something else.

The preference API stores them (functions/preference_api/store.py): `opted_in_at` maps `<publication>#<channel>`
(and `all`, for unsubscribe-all lifted) to when the owner turned it on, `confirmed_at` maps a channel to when its
address was last confirmed. The API's event handlers ask "is this SES or SMS event older than the owner's choice?"
(then it is stale); the sync asks "may this opt-out be lifted?" (only after a newer confirmed choice). Times are
ISO-8601 as stored, or as AWS sends them ('Z' or an offset), or boto3 datetimes; naive means UTC.
"""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any


def moment(value: Any) -> datetime | None:
    """The time `value` names; None when it names none."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def after(value: Any, since: Any) -> bool:
    """Both are times and `value` is later."""
    later, then = moment(value) if value else None, moment(since) if since else None
    return later is not None and then is not None and later > then


def confirmed_after(record: dict[str, Any] | None, channel: str, since: Any) -> bool:
    """The owner confirmed the channel's address after `since`."""
    return after(((record or {}).get("confirmed_at") or {}).get(channel), since)


def chosen_after(record: dict[str, Any] | None, key: str, since: Any) -> bool:
    """The owner turned `key` (`<publication>#EMAIL`, or `all`) on, or confirmed the e-mail, after `since`."""
    return (after(((record or {}).get("opted_in_at") or {}).get(key), since)
            or confirmed_after(record, "EMAIL", since))

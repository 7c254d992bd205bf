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

from typing import Any

from contracts.preference_choices import chosen_after, confirmed_after

__all__ = ["chosen_after", "confirmed_after", "held"]


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
            and rows.get(f"{center_id}#{topic}#EMAIL") == email
            and not chosen_after(record, f"{topic}#EMAIL", changed)}

"""What an SES `Subscription` event changed: the one reading shared by the events transform (is it an
unsubscribe?) and the preference center (which opt-outs to apply to the owner's record).

SES publishes a `Subscription` event when a contact's preferences change on SES's own subscription management
(its hosted unsubscribe page, or the List-Unsubscribe header it adds for contact lists). Its `subscription`
object, as AWS documents it (https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html
and the published example, tests/fixtures/published_events/ses_subscription.json)::

    {"contactList": "...", "timestamp": "2022-01-12T01:00:17.910Z", "source": "UnsubscribeHeader",
     "newTopicPreferences": {"unsubscribeAll": true,
                             "topicSubscriptionStatus": [{"topicName": "...", "subscriptionStatus": "OptOut"}]},
     "oldTopicPreferences": {...the same shape, before the change...}}

The preferences list every topic the contact has a status for, changed or not, so a topic counts as opted out
(or in) only when its status differs from the old one: otherwise a re-subscription to one topic, with another
topic still opted out, would read as an unsubscribe. A topic absent from the old preferences counts as changed
(SES gave no earlier status). Statuses are spelled `OptIn`/`OptOut` in events, `OPT_IN`/`OPT_OUT` in the API;
both are read.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

_OUT = {"OptOut", "OPT_OUT"}
_IN = {"OptIn", "OPT_IN"}


@dataclass(frozen=True)
class SubscriptionChange:
    opted_out: frozenset[str] = frozenset()
    """Topics this event opted the contact out of."""
    opted_in: frozenset[str] = frozenset()
    """Topics this event opted the contact into."""
    unsubscribed_all: bool = False
    """UnsubscribeAll turned on by this event."""
    resubscribed_all: bool = False
    """UnsubscribeAll turned off by this event."""

    @property
    def opts_out(self) -> bool:
        return bool(self.opted_out) or self.unsubscribed_all

    @property
    def opts_in(self) -> bool:
        return bool(self.opted_in) or self.resubscribed_all


def _statuses(preferences: Any) -> dict[str, str]:
    """topic -> 'out' | 'in' from a topic-preferences object; anything malformed is skipped."""
    topics = preferences.get("topicSubscriptionStatus") if isinstance(preferences, Mapping) else None
    found: dict[str, str] = {}
    for topic in topics if isinstance(topics, list) else ():
        if not isinstance(topic, Mapping) or not isinstance(topic.get("topicName"), str):
            continue
        status = topic.get("subscriptionStatus")
        if status in _OUT or status in _IN:
            found[topic["topicName"]] = "out" if status in _OUT else "in"
    return found


def _unsubscribe_all(preferences: Any) -> bool:
    return isinstance(preferences, Mapping) and preferences.get("unsubscribeAll") is True


def subscription_change(subscription: Any) -> SubscriptionChange:
    """What one `subscription` object changed (an empty change for anything that is not one)."""
    if not isinstance(subscription, Mapping):
        return SubscriptionChange()
    new, old = subscription.get("newTopicPreferences"), subscription.get("oldTopicPreferences")
    now, before = _statuses(new), _statuses(old)
    return SubscriptionChange(
        opted_out=frozenset(t for t, s in now.items() if s == "out" and before.get(t) != "out"),
        opted_in=frozenset(t for t, s in now.items() if s == "in" and before.get(t) != "in"),
        unsubscribed_all=_unsubscribe_all(new) and not _unsubscribe_all(old),
        resubscribed_all=_unsubscribe_all(old) and isinstance(new, Mapping) and new.get("unsubscribeAll") is False)

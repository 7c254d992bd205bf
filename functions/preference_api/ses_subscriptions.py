"""Opt-outs made on SES's own subscription management, applied to the owner's preferences.

SES lets a recipient change a contact's topics on its hosted unsubscribe page (and through the List-Unsubscribe
header it adds for contact lists), and publishes a `Subscription` event for it. An EventBridge rule on the
default bus sends this stack's contact list's events here. Without this, DynamoDB (the system of record) never
heard of such an opt-out and the next sync of the user put the topic back: an opt-out undone by someone other
than the owner.

The owner is the user the address registry maps the e-mail to (for each preference center of the stack). What
the event changed is read with the events contract (`contracts.events.subscription_change`, as the transform
reads it):

- a topic opted out -> that publication's EMAIL subscription off;
- unsubscribe-all -> the record's unsubscribe-all, every channel: the record has one switch, which the sync
  carries to SES's UnsubscribeAll and to the SMS opt-out list, and lifting it asks each address to confirm again.
  When in doubt the person is contacted less, never more (README "Preference center" says why);
- opt-ins are never applied (only the owner's confirmed actions in the preference center opt in): they are
  counted (metric `SesOptInsRefused`), and one the record disagrees with makes the record note the refusal, so
  the sync puts SES back to what the record says.

Each change is one store transaction with a consent record of source `ses_subscription` naming the event.
EventBridge delivers at least once, in any order, possibly late: applying an opt-out twice changes nothing, and
an opt-out older than the owner's own later opt-in of that subscription (or confirmation of the address) is
stale, so the latest choice wins whatever the order. Unknown addresses, other contact lists and malformed events
are counted (metric `SesSubscriptions` by `outcome`) and ignored without an error; a store failure raises, so
Lambda retries and then keeps the event in the dead-letter queue (`python -m tools.preference_ses_replay`).
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from pydantic import BaseModel, Field, StrictBool, StrictStr, ValidationError

from contracts.events import SubscriptionChange, subscription_change
from contracts import preference_choices
from contracts.preference_choices import chosen_after

from . import addresses, store
from .settings import OWNER_EVENT_ATTEMPTS, OWNER_EVENT_METRICS_NAMESPACE, OwnerEventSettings, client
from .validation import EMAIL

logger = Logger()
tracer = Tracer()
MAX_CLOCK_SKEW = timedelta(minutes=5)


class SubscriptionSettings(OwnerEventSettings):
    """The contact list serves every preference center of the stack."""
    contact_list_name: str = Field(alias="CONTACT_LIST_NAME", min_length=1)


@functools.cache
def subscription_settings() -> SubscriptionSettings:
    return SubscriptionSettings.model_validate(dict(os.environ))


# --- the event (only what is read; strict types, so junk is refused rather than coerced) ---------------------

class _TopicPreferences(BaseModel):
    unsubscribeAll: StrictBool | None = None
    topicSubscriptionStatus: list[dict[str, Any]] = Field(default_factory=list, max_length=100)


class _Subscription(BaseModel):
    contactList: StrictStr = Field(min_length=1, max_length=256)
    timestamp: StrictStr = Field(min_length=1, max_length=64)
    source: StrictStr | None = Field(default=None, max_length=128)
    newTopicPreferences: _TopicPreferences
    oldTopicPreferences: _TopicPreferences | None = None


class _Mail(BaseModel):
    messageId: StrictStr = Field(min_length=1, max_length=256)
    destination: list[StrictStr] = Field(min_length=1, max_length=50)


class _Detail(BaseModel):
    mail: _Mail
    subscription: _Subscription


class _BusEvent(BaseModel):
    id: StrictStr = Field(min_length=1, max_length=128)
    source: StrictStr
    detail: _Detail


@dataclass(frozen=True)
class SubscriptionEvent:
    event_id: str
    message_id: str
    contact_list: str
    email: str | None
    """The one recipient, normalised as the preference center stores addresses; None when not exactly one
    plausible address (then nobody can be named as the contact who changed it)."""
    recipients: int
    at: datetime
    source: str
    change: SubscriptionChange


def parse(event: Any, now: datetime | None = None) -> SubscriptionEvent | str:
    """The event, or the outcome that says why it is not one to apply."""
    detail = event.get("detail") if isinstance(event, dict) else None
    if not isinstance(detail, dict) or detail.get("eventType") != "Subscription":
        return "not_a_subscription"
    try:
        bus = _BusEvent.model_validate(event)
    except ValidationError:
        return "malformed"
    subscription = bus.detail.subscription
    at = preference_choices.moment(subscription.timestamp)
    if bus.source != "aws.ses" or at is None or at > (now or datetime.now(UTC)) + MAX_CLOCK_SKEW:
        return "malformed"
    destination = bus.detail.mail.destination
    email = _address(destination[0]) if len(destination) == 1 else None
    return SubscriptionEvent(bus.id, bus.detail.mail.messageId, subscription.contactList, email, len(destination),
                             at, subscription.source or "", subscription_change(detail["subscription"]))


def _address(raw: str) -> str | None:
    value = parseaddr(raw)[1].strip().lower()
    return value if len(value) <= 254 and EMAIL.match(value) else None


# --- the rules (pure) ------------------------------------------------------------------------------------------

def decide(record: dict[str, Any] | None, event: SubscriptionEvent) -> store.Decision:
    """What the event does to the owner's record."""
    if record is None or (record.get("addresses") or {}).get("EMAIL") != event.email:
        return store.Decision("not_owner")  # the registry moved on since it was read
    change, subscriptions = event.change, record.get("subscriptions") or {}
    was_all = bool(record.get("unsubscribed_all"))
    on = {pub for pub, channels in subscriptions.items() if "EMAIL" in (channels or ())}
    pending_off = change.opted_out & on
    off = sorted(t for t in pending_off if not chosen_after(record, f"{t}#EMAIL", event.at))
    pending_all = change.unsubscribed_all and not was_all
    all_off = pending_all and not chosen_after(record, store.OPTED_IN_ALL, event.at)
    desired = {**record, "unsubscribed_all": was_all or all_off, "subscriptions": {
        pub: kept for pub, channels in subscriptions.items()
        if (kept := [c for c in channels if c != "EMAIL" or pub not in off])}}
    # An opt-in the record disagrees with leaves SES ahead of the record: noting the refusal makes the sync run
    # and put SES back (a redelivery of the same event notes nothing new).
    disagrees = change.opts_in if desired["unsubscribed_all"] else bool(change.opted_in - (on - set(off)))
    if disagrees and (record.get("ses_subscription") or {}).get("refused") != event.event_id:
        desired["ses_subscription"] = {"refused": event.event_id, "at": _iso(event.at)}
    if off or all_off:
        outcome = "applied"
    elif change.opts_out:
        outcome = "stale" if pending_off or pending_all else "unchanged"
    else:
        outcome = "opt_in_refused" if change.opts_in else "no_change"
    what = ([f"opted out of {', '.join(off)}"] if off else []) + (["unsubscribed from all"] if all_off else []) + (
        [f"opt-in to {_opt_ins(change)} not applied"] if change.opts_in else [])
    return store.Decision(outcome, desired if desired != record else None, "; ".join(what))


def _opt_ins(change: SubscriptionChange) -> str:
    return ", ".join([*sorted(change.opted_in), *(["all"] if change.resubscribed_all else [])])


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- applying ---------------------------------------------------------------------------------------------------

def apply_event(env: SubscriptionSettings, event: SubscriptionEvent) -> str:
    """Apply one event to every owner of its address; the outcome (what the metric and the caller see)."""
    if event.contact_list != env.contact_list_name:
        return "other_list"
    if event.email is None:
        return "ambiguous_recipient" if event.recipients > 1 else "unknown_address"
    if not event.change.opts_out and not event.change.opts_in:
        return "no_change"
    dynamodb, outcomes = client("dynamodb"), []
    for center_id in env.center_id_list:
        owner = addresses.owner(dynamodb, env.addresses_table, center_id, "EMAIL", event.email)
        if owner is not None:
            meta = store.RequestMeta("ses_subscription", request_id=event.event_id, detail=(
                f"SES Subscription event {event.event_id} ({event.source or 'unknown source'}, contact list "
                f"{event.contact_list}, message {event.message_id}, at {_iso(event.at)})"))
            outcomes.append(store.update_record(dynamodb, (env.preferences_table, env.consent_table), center_id,
                                                owner, lambda record: decide(record, event), meta,
                                                OWNER_EVENT_ATTEMPTS))
    if not outcomes:
        return "unknown_address"
    return next((o for o in outcomes if o == "applied"), outcomes[0])


def _count(name: str, value: int, outcome: str | None = None) -> None:
    with single_metric(name=name, unit=MetricUnit.Count, value=value,
                       namespace=OWNER_EVENT_METRICS_NAMESPACE) as metric:
        if outcome is not None:
            metric.add_dimension(name="outcome", value=outcome)


# Events hold e-mail addresses: nothing is attached to traces, and logs carry the outcome only.
@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    parsed = parse(event)
    outcome = parsed if isinstance(parsed, str) else apply_event(subscription_settings(), parsed)
    refused = 0 if isinstance(parsed, str) else len(parsed.change.opted_in) + parsed.change.resubscribed_all
    _count("SesSubscriptions", 1, outcome)
    if refused:
        _count("SesOptInsRefused", refused)
    logger.info("ses subscription event", extra={"outcome": outcome, "opt_ins_refused": refused})
    return {"outcome": outcome, "opt_ins_refused": refused}

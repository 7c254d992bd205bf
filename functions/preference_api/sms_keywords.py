"""Two-way SMS replies applied to preferences: the SNS topic of the events database's two-way channel invokes this.

A reply is classified with the events contract's own keyword rule (`contracts.events.inbound_keyword`), so the
preference center and the `sms_optout` view agree on what a STOP is. For every preference center of the stack
whose address registry maps the replying number to an owner:

- STOP (any opt-out keyword) turns that owner's SMS subscriptions off. The sync then puts the number on the SMS
  opt-out list, and emits an `unsubscribe` with source `sms_keyword`, which `sms_optout` leaves out because it
  counts the reply itself.
- START (an opt-in keyword) restores exactly what the owner's last STOP turned off, and counts as a confirmation
  of the number (so the sync lifts its opt-out). Safe under the ownership rules: the reply comes from the number
  the registry says the owner confirmed, it only undoes that owner's own STOP (nothing else can be added), it
  never moves the number to another record and never lifts unsubscribe-all. Any confirmation made on the page
  after the STOP wins over it (the page's choices are the newer ones), and then START restores nothing.

Each change is one store transaction with a consent record of source `sms_keyword` naming the keyword and the
inbound message. Unknown numbers and other replies are counted (metric `SmsReplies` by outcome) and ignored.
SNS delivers at least once and in no particular order: a reply not newer than the last one applied, or older than
the owner's last confirmation on the page, changes nothing, so redeliveries and replays are harmless. A reply
that fails is retried by Lambda, then kept in the function's dead-letter queue, which SNS also uses for what it
could not deliver (`python -m tools.preference_sms_replay` replays it).
"""
from __future__ import annotations

import functools
import json
import os
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from pydantic import BaseModel, Field

from contracts.events import inbound_keyword
from contracts import preference_choices

from . import addresses, store
from .center import load_center
from .settings import OWNER_EVENT_ATTEMPTS, OWNER_EVENT_METRICS_NAMESPACE, OwnerEventSettings, client

logger = Logger()
tracer = Tracer()


class KeywordSettings(OwnerEventSettings):
    """A STOP to our number concerns every preference center of the stack."""
    config_table: str = Field(alias="CONFIG_TABLE", min_length=3)


@functools.cache
def keyword_settings() -> KeywordSettings:
    return KeywordSettings.model_validate(dict(os.environ))


class Reply(BaseModel):
    """The part of an End User Messaging two-way SMS message (SNS `Message`) this function reads."""

    number: str = Field(alias="originationNumber", min_length=2, max_length=32)
    body: str | None = Field(default=None, alias="messageBody")
    registered_keyword: str | None = Field(default=None, alias="messageKeyword")
    message_id: str = Field(alias="inboundMessageId", min_length=1, max_length=256)


def apply_reply(env: KeywordSettings, reply: Reply, received_at: str) -> str:
    """Apply one reply to every owner of its number; the outcome (what the metric and the caller see)."""
    keyword, status = inbound_keyword(reply.body, reply.registered_keyword)
    if status == "received":
        return "not_a_keyword"
    dynamodb = client("dynamodb")
    outcomes = []
    for center_id in env.center_id_list:
        owner = addresses.owner(dynamodb, env.addresses_table, center_id, "SMS", reply.number)
        if owner is not None:
            outcomes.append(_apply_to_owner(env, center_id, owner, reply, keyword or "", status, received_at))
    if not outcomes:
        return "unknown_number"
    return next((o for o in outcomes if o.startswith("applied")), outcomes[0])


def _apply_to_owner(env: KeywordSettings, center_id: str, user_id: str, reply: Reply, keyword: str, status: str,
                    received_at: str) -> str:
    meta = store.RequestMeta("sms_keyword", request_id=reply.message_id,
                             detail=f"{keyword} from {reply.number} (inbound message {reply.message_id})")

    def decide(current: dict[str, Any] | None) -> store.Decision:
        if current is None or current["addresses"].get("SMS") != reply.number:
            return store.Decision("not_owner")  # the registry moved on since it was read
        if is_stale(current, received_at):
            return store.Decision("stale")
        if status == "opted_out":
            return store.Decision(f"applied_{status}", stopped(current, received_at))
        return store.Decision(f"applied_{status}", started(current, received_at, _sms_publications(env, center_id)))

    return store.update_record(client("dynamodb"), (env.preferences_table, env.consent_table), center_id, user_id,
                               decide, meta, OWNER_EVENT_ATTEMPTS)


def _sms_publications(env: KeywordSettings, center_id: str) -> set[str]:
    config = load_center(center_id, env.config_table, client("dynamodb")).config
    return {p.id for c in config.categories for p in c.publications if "SMS" in p.channels}


# --- the rules (pure) ------------------------------------------------------------------------------------------

def _page_confirmed_at(record: dict[str, Any]) -> datetime | None:
    """The owner's last confirmation of the number made outside SMS keywords (a START's own doesn't count)."""
    confirmed = record.get("confirmed_at", {}).get("SMS")
    if confirmed is None or confirmed == (record.get("sms_keyword") or {}).get("confirmed_at"):
        return None
    return preference_choices.moment(confirmed)


def is_stale(record: dict[str, Any], received_at: str) -> bool:
    """A reply not newer than the last one applied (a redelivery, or overtaken by a later reply), or older than
    the owner's last confirmation on the page, changes nothing."""
    moment = preference_choices.moment(received_at)
    last = preference_choices.moment((record.get("sms_keyword") or {}).get("at"))
    page = _page_confirmed_at(record)
    return moment is None or (last is not None and moment <= last) or (page is not None and moment < page)


def stopped(record: dict[str, Any], received_at: str) -> dict[str, Any]:
    """SMS off for every publication; what was on is remembered for a later START."""
    subscriptions = {pub: [c for c in channels if c != "SMS"] for pub, channels in record["subscriptions"].items()}
    turned_off = {pub for pub, channels in record["subscriptions"].items() if "SMS" in channels}
    last = record.get("sms_keyword") or {}
    remembered = sorted(set(last.get("stopped") or ()) | turned_off)
    return {**record, "subscriptions": {pub: channels for pub, channels in subscriptions.items() if channels},
            "sms_keyword": {**last, "at": received_at, "stopped": remembered}}


def started(record: dict[str, Any], received_at: str, offered: set[str],
            now: datetime | None = None) -> dict[str, Any]:
    """What the last STOP turned off (and the center still offers by SMS) back on, the number confirmed now.

    Nothing is restored when the owner confirmed the number on the page after that STOP (their newer choices
    stand). `confirmed_at` is the processing time, later than any opt-out the STOP caused, so the sync lifts it."""
    last = record.get("sms_keyword") or {}
    page = _page_confirmed_at(record)
    stop_at = preference_choices.moment(last.get("at"))
    restore = set(last.get("stopped") or ()) & offered
    if page is not None and (stop_at is None or page > stop_at):
        restore = set()
    subscriptions = {pub: list(channels) for pub, channels in record["subscriptions"].items()}
    for pub in sorted(restore):
        subscriptions[pub] = [*[c for c in subscriptions.get(pub, []) if c != "SMS"], "SMS"]
    confirmed = (now or datetime.now(UTC)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    changed = {"subscriptions": subscriptions, "sms_keyword": {
        **last, "at": received_at, "stopped": [], "confirmed_at": confirmed if restore else last.get("confirmed_at")}}
    if restore:
        changed["confirmed_at"] = {**record.get("confirmed_at", {}), "SMS": confirmed}
    return {**record, **changed}


# --- the handler -----------------------------------------------------------------------------------------------

def parse(record: dict[str, Any]) -> tuple[Reply, str] | None:
    """(reply, when End User Messaging received it) from one SNS record; None when it is not a two-way SMS."""
    sns = record.get("Sns") or {}
    try:
        message = json.loads(sns.get("Message") or "")
        return Reply.model_validate(message), str(sns["Timestamp"])
    except (ValueError, TypeError, KeyError):
        return None


# Replies hold phone numbers: nothing is attached to traces, and logs carry the outcome only.
@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    env = keyword_settings()
    outcomes = []
    for record in event.get("Records") or []:
        parsed = parse(record)
        outcome = "not_a_reply" if parsed is None else apply_reply(env, *parsed)
        with single_metric(name="SmsReplies", unit=MetricUnit.Count, value=1,
                           namespace=OWNER_EVENT_METRICS_NAMESPACE) as metric:
            metric.add_dimension(name="outcome", value=outcome)
        logger.info("sms reply", extra={"outcome": outcome})
        outcomes.append(outcome)
    return {"outcomes": outcomes}

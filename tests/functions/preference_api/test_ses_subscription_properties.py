"""SES Subscription events in any delivery order, and as junk.

1. Ordering (pure rules, the store's own opt-in bookkeeping): EventBridge delivers at least once, late and in
   any order; whatever the order and duplicates, each subscription ends as the LATEST decision about it made it:
   an SES opt-out, or the owner's own effective change on the page. SES opt-ins never turn anything on.
2. Junk (the handler over moto): any event, or the published one with any field replaced, never raises, is
   counted with a known outcome, and stores nothing unless it really is an opt-out of the owner's.
"""
from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from functions.preference_api import ses_subscriptions, store
from tools import preference_center_local, ses_subscription_page

TOPICS = ("a", "b")
EMAIL = "ana@example.com"
BASE = datetime(2026, 3, 1, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _at(step: int) -> datetime:
    return BASE + timedelta(minutes=step)


def _ses_event(step: int, kind: str, topic: str) -> ses_subscriptions.SubscriptionEvent:
    """The event SES publishes for a change made at `step`, parsed by the handler's own parser."""
    old, new = {"unsubscribeAll": False, "topicSubscriptionStatus": []}, {"unsubscribeAll": kind == "ses_all",
                                                                          "topicSubscriptionStatus": []}
    if kind != "ses_all":
        old["topicSubscriptionStatus"] = [{"topicName": topic, "subscriptionStatus":
                                           "OptIn" if kind == "ses_out" else "OptOut"}]
        new["topicSubscriptionStatus"] = [{"topicName": topic, "subscriptionStatus":
                                           "OptOut" if kind == "ses_out" else "OptIn"}]
    record = ses_subscription_page.subscription_record("list", EMAIL, old, new, _at(step))
    parsed = ses_subscriptions.parse(ses_subscription_page.bus_event(record, f"e-{step}"), now=_at(step))
    assert isinstance(parsed, ses_subscriptions.SubscriptionEvent)
    return parsed


def _saved(record: dict, desired: dict, now: datetime) -> dict:
    """What store.record_items keeps of `desired` (its opt-in bookkeeping included)."""
    return {**desired, "opted_in_at": store.opted_in_at(record, desired, _iso(now))}


def _owner(record: dict, kind: str, topic: str, now: datetime) -> tuple[dict, tuple[str, bool] | None]:
    """The owner's change on the page; returns the record and the decision it made (None: it changed nothing)."""
    subscriptions = {p: list(c) for p, c in record["subscriptions"].items()}
    if kind in ("owner_on", "owner_off"):
        on = "EMAIL" in subscriptions.get(topic, [])
        if on == (kind == "owner_on"):
            return record, None
        subscriptions[topic] = ["EMAIL"] if kind == "owner_on" else []
        desired = {**record, "subscriptions": {p: c for p, c in subscriptions.items() if c}}
        return _saved(record, desired, now), (topic, kind == "owner_on")
    wanted = kind == "owner_all"
    if record["unsubscribed_all"] == wanted:
        return record, None
    return _saved(record, {**record, "unsubscribed_all": wanted}, now), ("all", not wanted)


STEPS = st.lists(st.tuples(st.sampled_from(["owner_on", "owner_off", "owner_all", "owner_lift", "ses_out",
                                            "ses_all", "ses_in"]), st.sampled_from(TOPICS)), min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(STEPS, st.data())
def test_whatever_the_delivery_order_and_duplicates_the_latest_decision_wins(steps, data):
    start = _at(-1)
    record = {"addresses": {"EMAIL": EMAIL}, "confirmed_at": {"EMAIL": _iso(start)}, "unsubscribed_all": False,
              "subscriptions": {t: ["EMAIL"] for t in TOPICS},
              "opted_in_at": {f"{t}#EMAIL": _iso(start) for t in TOPICS}}
    # (when, receiving?) per subscription and for `all`; at the start Ana receives both topics
    decisions = {key: [(start, True)] for key in (*TOPICS, "all")}
    # Each SES event is delivered at some step at or after it happened (or after the end), some twice.
    deliveries: dict[int, list] = {}
    for step, (kind, topic) in enumerate(steps):
        if kind.startswith("ses"):
            event = _ses_event(step, kind, topic)
            for _ in range(data.draw(st.integers(1, 2))):
                deliveries.setdefault(data.draw(st.integers(step, len(steps))), []).append(event)
            if kind != "ses_in":  # an SES opt-in is no decision: only the owner's confirmed actions opt in
                decisions["all" if kind == "ses_all" else topic].append((_at(step), False))
    for step in range(len(steps) + 1):
        if step < len(steps) and steps[step][0].startswith("owner"):
            record, decision = _owner(record, *steps[step], _at(step))
            if decision is not None:
                decisions[decision[0]].append((_at(step), decision[1]))
        for event in data.draw(st.permutations(deliveries.get(step, []))):
            decided = ses_subscriptions.decide(record, event)
            if decided.desired is not None:
                record = _saved(record, decided.desired, _at(step))
    for topic in TOPICS:
        assert ("EMAIL" in record["subscriptions"].get(topic, [])) == max(decisions[topic])[1], topic
    assert record["unsubscribed_all"] == (not max(decisions["all"])[1])


# --- junk --------------------------------------------------------------------------------------------------------

TEXT = st.text(st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
    ["", "\x00", "ana@example.com\r\nBcc: x@y.z", "ANA@EXAMPLE.COM", "é@ü.de", "9" * 400, "2026-13-45T99:99:99Z",
     "9999-12-31T23:59:59Z", "OptOut", "OPT_OUT", "Subscription", "aws.ses", "pc-contacts"])
JSON = st.recursive(st.none() | st.booleans() | st.integers(min_value=-(2 ** 80), max_value=2 ** 80)
                    | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
                    max_leaves=12)
OUTCOMES = {"not_a_subscription", "malformed", "other_list", "ambiguous_recipient", "unknown_address",
            "no_change", "applied", "stale", "unchanged", "opt_in_refused", "not_owner"}
PATHS = [("id",), ("source",), ("detail",), ("detail", "eventType"), ("detail", "mail"),
         ("detail", "mail", "destination"), ("detail", "mail", "messageId"), ("detail", "subscription"),
         ("detail", "subscription", "contactList"), ("detail", "subscription", "timestamp"),
         ("detail", "subscription", "newTopicPreferences"), ("detail", "subscription", "oldTopicPreferences"),
         ("detail", "subscription", "newTopicPreferences", "unsubscribeAll"),
         ("detail", "subscription", "newTopicPreferences", "topicSubscriptionStatus")]


def _deep(depth: int) -> list:
    nested: list = []
    for _ in range(depth):
        nested = [nested]
    return nested


@pytest.fixture(scope="module")
def owned():
    """Ana, confirmed and subscribed by e-mail to runners-monthly only, through the real API."""
    with preference_center_local.running() as local:
        user = local.optin({"EMAIL": EMAIL}, {"runners-monthly": ["EMAIL"]})
        local.confirm_everything()
        yield local, user


def _state(local) -> tuple:
    return tuple(json.dumps(local.dynamodb.scan(TableName=t)["Items"], sort_keys=True)
                 for t in (local.names.preferences_table, local.names.consent_table))


def _valid_event(local) -> dict:
    """A real opt-out of Ana's, of a topic she does not receive: applying it changes nothing."""
    record = ses_subscription_page.subscription_record(
        local.names.contact_list, EMAIL, {"unsubscribeAll": False, "topicSubscriptionStatus": []},
        {"unsubscribeAll": False, "topicSubscriptionStatus": [{"topicName": "shoe-collector",
                                                               "subscriptionStatus": "OptOut"}]},
        datetime.now(UTC))
    return ses_subscription_page.bus_event(record, "fuzz")


def _run(local, event) -> str:
    before = _state(local)
    result = ses_subscriptions.lambda_handler(event, local.context)
    assert result["outcome"] in OUTCOMES
    if result["outcome"] not in ("applied", "opt_in_refused"):
        assert _state(local) == before, result
    return result["outcome"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(JSON)
def test_any_event_is_counted_and_stores_nothing(owned, junk):
    local, _ = owned
    _run(local, junk)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(PATHS), JSON | st.integers(50, 3000).map(_deep))
def test_the_published_event_with_any_field_replaced_never_raises(owned, path, junk):
    local, _ = owned
    event = copy.deepcopy(_valid_event(local))
    target = event
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = junk
    _run(local, event)


def test_the_valid_baseline_of_the_fuzz_is_a_real_event_that_changes_nothing(owned):
    local, user = owned
    assert _run(local, _valid_event(local)) == "unchanged"
    record = store.get_preferences(local.dynamodb, local.names.preferences_table, "default", user)
    assert record["subscriptions"] == {"runners-monthly": ["EMAIL"]}


def _applicable_event(local) -> dict:
    """A real opt-out of Ana's from runners-monthly, which she receives: applying it writes the store."""
    record = ses_subscription_page.subscription_record(
        local.names.contact_list, EMAIL,
        {"unsubscribeAll": False, "topicSubscriptionStatus": [{"topicName": "runners-monthly",
                                                               "subscriptionStatus": "OptIn"}]},
        {"unsubscribeAll": False, "topicSubscriptionStatus": [{"topicName": "runners-monthly",
                                                               "subscriptionStatus": "OptOut"}]},
        datetime.now(UTC))
    return ses_subscription_page.bus_event(record, "fuzz-applicable")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(PATHS), JSON)
def test_with_the_store_failing_only_the_store_failure_is_raised_and_nothing_is_stored(owned, path, junk):
    # Lambda must retry (and then dead-letter) exactly the events it could not store: a store failure is the one
    # exception that leaves the handler, whatever the rest of the event holds
    local, _ = owned
    event = copy.deepcopy(_applicable_event(local))
    target = event
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = junk
    before = _state(local)

    def busy(*_args, **_kwargs):
        raise store.Busy("the preferences store stayed busy")

    original, store.transact = store.transact, busy
    try:
        result = ses_subscriptions.lambda_handler(event, local.context)
    except store.Busy:
        pass
    else:
        assert result["outcome"] in OUTCOMES - {"applied", "opt_in_refused"}
    finally:
        store.transact = original
    assert _state(local) == before


def test_the_baseline_of_the_store_failure_fuzz_does_reach_the_store(owned):
    local, _ = owned
    calls = []
    original = store.transact
    store.transact = lambda *args, **kwargs: calls.append(args)
    try:
        assert ses_subscriptions.lambda_handler(_applicable_event(local), local.context)["outcome"] == "applied"
    finally:
        store.transact = original
    assert len(calls) == 1

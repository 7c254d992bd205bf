"""STOP and START replies applied to the owner's preferences (functions/preference_api/sms_keywords.py), with the
real API making the owner, the real sync applying the change, and SNS's published Lambda event delivering it.

sns_lambda_event.json is AWS's example SNS message event (Lambda developer guide, "Using Lambda with Amazon SNS",
https://docs.aws.amazon.com/lambda/latest/dg/with-sns.html), verbatim; its Message is replaced in the tests by
AWS's published two-way SMS message (tests/fixtures/published_events/two_way_sms.json) with our owner's number and
a keyword as body, which is what the two-way channel's topic delivers.
"""
from __future__ import annotations

import copy
import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from functions.preference_api import sms_keywords, store
from functions.preference_api.sms_keywords import is_stale, started, stopped
from tools import preference_center_local
from tools.preference_seed import Names
from tools.sample_sms import sns_envelope

HERE = Path(__file__).parent
PUBLISHED_SNS_EVENT = json.loads((HERE / "sns_lambda_event.json").read_text())
PUBLISHED_REPLY = json.loads((HERE.parents[1] / "fixtures" / "published_events" / "two_way_sms.json").read_text())
NAMES = Names()
ANA = {"EMAIL": "ana@example.com", "SMS": "+34600111222"}
CHOICES = {"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL", "SMS"], "new-arrivals": ["SMS"]}


@pytest.fixture
def center():
    with preference_center_local.running(NAMES) as local:
        yield local


def subscribed_owner(center) -> str:
    return center.subscribed_owner(ANA, CHOICES)


def record(center, user):
    return center.record(user)


def consent(center, user):
    return [(i["source"]["S"], i.get("detail", {}).get("S")) for i in center.consent_items(user)]


def published_event(number: str, body: str, at: datetime) -> dict:
    event = copy.deepcopy(PUBLISHED_SNS_EVENT)
    sns = event["Records"][0]["Sns"]
    sns["Message"] = json.dumps({**PUBLISHED_REPLY, "originationNumber": number, "messageBody": body})
    sns["Timestamp"] = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return event


def sms_changes(center):
    return [(e["event_type"].removeprefix("preference_center."), e["address"], e["attributes"]["publications"],
             e["attributes"]["source"]) for e in center.new_events() if e["channel"] == "sms"]


def test_our_sns_event_builder_has_the_published_shape():
    built = preference_center_local.sns_lambda_event(sns_envelope({"x": 1}, 1_767_225_600_000))
    assert built["Records"][0].keys() == PUBLISHED_SNS_EVENT["Records"][0].keys()
    assert built["Records"][0]["Sns"].keys() == PUBLISHED_SNS_EVENT["Records"][0]["Sns"].keys()
    assert preference_center_local.two_way_message("+1", "STOP").keys() == PUBLISHED_REPLY.keys()


def test_stop_from_the_owners_number_turns_sms_off_with_a_consent_record(center):
    user = subscribed_owner(center)
    # When SNS delivers the owner's STOP reply
    result = sms_keywords.lambda_handler(published_event(ANA["SMS"], "Stop", datetime.now(UTC)), center.context)
    assert result == {"outcomes": ["applied_opted_out"]}
    # Then the record has no SMS subscription left, e-mail untouched, with the evidence in the consent log
    assert record(center, user)["subscriptions"] == {"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL"]}
    assert consent(center, user)[-1][0] == "sms_keyword"
    assert consent(center, user)[-1][1].startswith(f"STOP from {ANA['SMS']} (inbound message ")
    # And the normal sync opts the number out and reports one unsubscribe of source sms_keyword (which
    # sms_optout leaves out: the reply itself is counted there)
    assert center.sync() == {"batchItemFailures": []}
    assert ANA["SMS"] in center.sms.opted_out[NAMES.opt_out_list]
    assert sms_changes(center) == [("unsubscribe", ANA["SMS"], "new-arrivals,weekly-specials", "sms_keyword")]


def test_a_redelivered_reply_changes_nothing(center):
    user = subscribed_owner(center)
    event = published_event(ANA["SMS"], "STOP", datetime.now(UTC))
    sms_keywords.lambda_handler(event, center.context)
    before = (record(center, user), consent(center, user))
    # SNS delivers at least once: the same reply again
    assert sms_keywords.lambda_handler(event, center.context) == {"outcomes": ["stale"]}
    assert (record(center, user), consent(center, user)) == before


def test_start_restores_exactly_what_stop_turned_off_and_lifts_the_opt_out(center):
    user = subscribed_owner(center)
    now = datetime.now(UTC)
    center.sms_reply(ANA["SMS"], "STOP", at=now)
    center.sync()
    center.save(user, subscriptions={"runners-monthly": ["EMAIL"]})  # e-mail changed meanwhile on the page
    center.sync()
    center.new_events()
    assert center.sms_reply(ANA["SMS"], "start", at=now + timedelta(seconds=5)) == {"outcomes": ["applied_opted_in"]}
    assert record(center, user)["subscriptions"] == {"runners-monthly": ["EMAIL"], "weekly-specials": ["SMS"],
                                                     "new-arrivals": ["SMS"]}
    center.sync()
    assert ANA["SMS"] not in center.sms.opted_out[NAMES.opt_out_list]
    assert sms_changes(center) == [("optin", ANA["SMS"], "new-arrivals,weekly-specials", "sms_keyword")]


def test_unknown_numbers_and_other_replies_are_counted_and_change_nothing(center, capsys):
    user = subscribed_owner(center)
    before = center.dynamodb.scan(TableName=NAMES.preferences_table)["Items"]
    assert center.sms_reply("+15550100999", "STOP") == {"outcomes": ["unknown_number"]}
    assert center.sms_reply(ANA["SMS"], "Thanks, see you!") == {"outcomes": ["not_a_keyword"]}
    not_json = preference_center_local.sns_lambda_event(sns_envelope({}, 1_767_225_600_000))
    not_json["Records"][0]["Sns"]["Message"] = "not json"
    assert sms_keywords.lambda_handler(not_json, center.context) == {"outcomes": ["not_a_reply"]}
    assert center.dynamodb.scan(TableName=NAMES.preferences_table)["Items"] == before
    assert consent(center, user)[-1][0] == "confirmation"
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"SmsReplies"' in line]
    assert [m["outcome"] for m in metrics] == ["unknown_number", "not_a_keyword", "not_a_reply"]


def test_a_pending_number_has_no_owner_yet(center):
    center.optin(ANA, CHOICES)  # not confirmed: the registry knows no owner of the number
    assert center.sms_reply(ANA["SMS"], "STOP") == {"outcomes": ["unknown_number"]}


def test_a_stop_older_than_the_owners_page_confirmation_is_ignored(center):
    user = subscribed_owner(center)
    confirmed = datetime.fromisoformat(record(center, user)["confirmed_at"]["SMS"].replace("Z", "+00:00"))
    assert center.sms_reply(ANA["SMS"], "STOP", at=confirmed - timedelta(seconds=1)) == {"outcomes": ["stale"]}


def test_start_restores_nothing_once_the_owner_confirmed_newer_choices_on_the_page(center):
    user = subscribed_owner(center)
    center.sms_reply(ANA["SMS"], "STOP")
    center.sync()
    # The owner re-subscribes one publication by SMS on the page, which asks the number to confirm again
    center.save(user, subscriptions={**CHOICES, "new-arrivals": []})
    center.sync()
    assert record(center, user)["subscriptions"]["weekly-specials"] == ["EMAIL", "SMS"]
    center.sms_reply(ANA["SMS"], "START")
    assert "new-arrivals" not in record(center, user)["subscriptions"]


def test_start_never_lifts_unsubscribe_all(center):
    user = subscribed_owner(center)
    center.sms_reply(ANA["SMS"], "STOP")
    center.save(user, subscriptions={}, unsubscribed_all=True)
    center.sync()
    center.sms_reply(ANA["SMS"], "UNSTOP")
    assert record(center, user)["unsubscribed_all"] is True
    center.sync()
    assert ANA["SMS"] in center.sms.opted_out[NAMES.opt_out_list]


def test_a_failure_is_raised_so_lambda_retries_and_then_keeps_the_reply(center, monkeypatch):
    user = subscribed_owner(center)
    before = record(center, user)

    def busy(*_args, **_kwargs):
        raise store.Busy("the preferences store stayed busy")

    monkeypatch.setattr(store, "transact", busy)
    with pytest.raises(store.Busy):
        center.sms_reply(ANA["SMS"], "STOP")
    assert record(center, user) == before


# --- the ordering rules, for any delivery order -----------------------------------------------------------------

def _owner_record() -> dict:
    return {"addresses": {"SMS": "+1"}, "confirmed_at": {"SMS": "2026-01-01T00:00:00.000Z"},
            "subscriptions": {"a": ["EMAIL", "SMS"], "b": ["SMS"]}, "unsubscribed_all": False}


def _apply(record: dict, keyword: str, at: str, now: datetime) -> dict:
    if is_stale(record, at):
        return record
    return stopped(record, at) if keyword == "STOP" else started(record, at, {"a", "b"}, now=now)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["STOP", "START"]), min_size=1, max_size=5), st.randoms(use_true_random=False),
       st.integers(min_value=0, max_value=3))
def test_whatever_the_delivery_order_and_duplicates_the_latest_reply_wins(keywords, rng, duplicates):
    base = datetime(2026, 1, 2, tzinfo=UTC)
    replies = [(k, (base + timedelta(minutes=i)).isoformat().replace("+00:00", "Z")) for i, k in enumerate(keywords)]
    delivered = replies + [rng.choice(replies) for _ in range(duplicates)]
    rng.shuffle(delivered)
    record = _owner_record()
    for n, (keyword, at) in enumerate(delivered):
        record = _apply(record, keyword, at, now=base + timedelta(hours=1, seconds=n))
    sms_on = {p for p, channels in record["subscriptions"].items() if "SMS" in channels}
    assert sms_on == (set() if keywords[-1] == "STOP" else {"a", "b"})
    assert record["subscriptions"].get("a", []).count("EMAIL") == 1  # e-mail is never touched


def test_start_adds_nothing_the_owner_did_not_have():
    record = stopped(_owner_record(), "2026-01-02T00:00:00Z")
    assert started(record, "2026-01-02T00:01:00Z", {"b"})["subscriptions"] == {"a": ["EMAIL"], "b": ["SMS"]}
    assert started(_owner_record(), "2026-01-02T00:01:00Z", {"a", "b", "c"})["subscriptions"] == \
        _owner_record()["subscriptions"]
    assert list(itertools.chain(*started(record, "2026-01-02T00:01:00Z", set())["subscriptions"].values())) == \
        ["EMAIL"]

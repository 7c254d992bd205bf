"""Opt-outs made on SES's own subscription management, applied to the owner's record
(functions/preference_api/ses_subscriptions.py), with the real API making the owner, the real sync carrying the
change to SES (moto), and the event built from AWS's published Subscription record
(tests/fixtures/published_events/ses_subscription.json, source in sources.json) inside EventBridge's envelope.

Before this function existed, DynamoDB never heard of such an opt-out and the next sync put the topic back:
`test_a_topic_opted_out_on_ses_page_stays_out_through_the_sync` fails on that code.
"""
from __future__ import annotations

import copy
import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from functions.preference_api import ses_subscriptions, store
from tools import preference_center_local, ses_subscription_page
from tools.preference_seed import Names

PUBLISHED = json.loads((Path(__file__).parents[2] / "fixtures" / "published_events" / "ses_subscription.json")
                       .read_text())
NAMES = Names()
ANA = {"EMAIL": "ana@example.com", "SMS": "+34600111222"}
CHOICES = {"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL", "SMS"]}


@pytest.fixture
def center():
    with preference_center_local.running(NAMES) as local:
        yield local


def subscribed_owner(center, addresses=ANA, choices=CHOICES) -> str:
    return center.subscribed_owner(addresses, choices)


def record(center, user):
    return center.record(user)


def consent(center, user):
    return [(i["source"]["S"], i.get("detail", {}).get("S"), json.loads(i["changes"]["S"]))
            for i in center.consent_items(user)]


def contact(center, email=ANA["EMAIL"]):
    found = center.sesv2.get_contact(ContactListName=NAMES.contact_list, EmailAddress=email)
    return {t["TopicName"]: t["SubscriptionStatus"] for t in found["TopicPreferences"]}, found["UnsubscribeAll"]


def published_event(email: str, at: datetime | None = None, contact_list: str = NAMES.contact_list) -> dict:
    """AWS's published record (unsubscribeAll false -> true), for our list and recipient, in its bus envelope."""
    record = copy.deepcopy(PUBLISHED)
    record["mail"]["destination"] = [email]
    record["subscription"]["contactList"] = contact_list
    if at is not None:
        record["subscription"]["timestamp"] = at.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return ses_subscription_page.bus_event(record)


def email_changes(center):
    return [(e["event_type"].removeprefix("preference_center."), e["channel"], e["attributes"]["publications"],
             e["attributes"]["source"]) for e in center.new_events() if e["channel"] != "custom"]


def test_our_simulated_ses_page_publishes_the_published_record_shape(center):
    subscribed_owner(center)
    event = center.ses_page(ANA["EMAIL"], deliver=False, opt_out=["runners-monthly"])
    built = center.ses_records[-1]
    assert event["detail"] is built and event["source"] == "aws.ses" and event["detail-type"] == "Email Subscribed"
    assert built.keys() == PUBLISHED.keys() and built["mail"].keys() == PUBLISHED["mail"].keys()
    assert built["subscription"].keys() == PUBLISHED["subscription"].keys()
    assert built["subscription"]["newTopicPreferences"]["topicSubscriptionStatus"][0].keys() == \
        PUBLISHED["subscription"]["newTopicPreferences"]["topicSubscriptionStatus"][0].keys()
    assert set(event) == {"version", "id", "detail-type", "source", "account", "time", "region", "resources",
                          "detail"}


def test_a_topic_opted_out_on_ses_page_stays_out_through_the_sync(center):
    user = subscribed_owner(center)
    # When Ana opts out of one topic on SES's own page and EventBridge delivers SES's Subscription event
    event = center.ses_page(ANA["EMAIL"], opt_out=["runners-monthly"])
    # Then her record (the system of record) has that publication's e-mail off, with the evidence
    assert record(center, user)["subscriptions"] == {"weekly-specials": ["EMAIL", "SMS"]}
    source, detail, changes = consent(center, user)[-1]
    assert source == "ses_subscription" and f"SES Subscription event {event['id']}" in detail
    assert "contact list pc-contacts" in detail and "opted out of runners-monthly" in detail
    assert changes == [{"field": "subscriptions.runners-monthly", "old": ["EMAIL"], "new": None}]
    # And the real sync keeps SES's contact opted out of it, reporting one unsubscribe of source ses_subscription
    center.sync()
    assert contact(center)[0]["runners-monthly"] == "OPT_OUT"
    assert contact(center)[0]["weekly-specials"] == "OPT_IN"
    assert email_changes(center) == [("unsubscribe", "email", "runners-monthly", "ses_subscription")]
    # And a later unrelated edit on the page does not bring it back
    center.save(user, attributes={"first_name": "Ana Maria"})
    center.sync()
    assert contact(center)[0]["runners-monthly"] == "OPT_OUT"


def test_the_published_unsubscribe_all_turns_every_channel_off(center):
    user = subscribed_owner(center)
    result = ses_subscriptions.lambda_handler(published_event(ANA["EMAIL"], datetime.now(UTC)), center.context)
    assert result == {"outcome": "applied", "opt_ins_refused": 0}
    assert record(center, user)["unsubscribed_all"] is True
    center.sync()
    # SES's UnsubscribeAll stays, and the number goes on the SMS opt-out list (the conservative reading)
    assert contact(center)[1] is True
    assert ANA["SMS"] in center.sms.opted_out[NAMES.opt_out_list]
    assert sorted(email_changes(center)) == [("unsubscribe", "email", "runners-monthly,weekly-specials",
                                              "ses_subscription"),
                                             ("unsubscribe", "sms", "weekly-specials", "ses_subscription")]
    # Lifting it takes the owner's confirmed action: unsubscribe-all off on the page asks each address again
    center.save(user, unsubscribed_all=False, subscriptions=CHOICES)
    center.sync()
    assert contact(center)[1] is False and ANA["SMS"] not in center.sms.opted_out[NAMES.opt_out_list]


def test_the_published_event_verbatim_is_older_than_the_owners_confirmation_so_it_changes_nothing(center):
    user = subscribed_owner(center, {"EMAIL": "recipient@example.com"}, {"runners-monthly": ["EMAIL"]})
    before = (record(center, user), consent(center, user))
    event = published_event("recipient@example.com", contact_list=NAMES.contact_list)  # its 2022 timestamp kept
    assert ses_subscriptions.lambda_handler(event, center.context)["outcome"] == "stale"
    assert (record(center, user), consent(center, user)) == before


def test_an_opt_in_made_on_ses_page_is_refused_counted_and_undone_by_the_sync(center, capsys):
    user = subscribed_owner(center)
    center.save(user, subscriptions={"runners-monthly": ["EMAIL"], "weekly-specials": ["SMS"]})  # e-mail off
    center.sync()
    center.new_events()
    version = record(center, user)["version"]
    # When someone opts the address back in on SES's page (the owner must do it on the preference page)
    event = center.ses_page(ANA["EMAIL"], opt_in=["weekly-specials"])
    assert contact(center)[0]["weekly-specials"] == "OPT_IN"  # SES took it
    after = record(center, user)
    assert after["subscriptions"]["weekly-specials"] == ["SMS"] and after["version"] == version + 1
    _, detail, changes = consent(center, user)[-1]
    assert changes == [] and "opt-in to weekly-specials not applied" in detail
    # Then the sync puts SES back to what the record says
    center.sync()
    assert contact(center)[0]["weekly-specials"] == "OPT_OUT"
    assert email_changes(center) == []
    # A redelivery notes nothing new
    ses_subscriptions.lambda_handler(event, center.context)
    assert record(center, user)["version"] == version + 1
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"SesOptInsRefused"' in line]
    assert [m["SesOptInsRefused"] for m in metrics] == [[1.0], [1.0]]


def test_an_opt_out_older_than_the_owners_own_opt_in_of_that_topic_is_stale(center):
    user = subscribed_owner(center)
    # SES reports late an opt-out made after Ana confirmed, but before she turned new-arrivals on on the page
    earlier = datetime.now(UTC)
    time.sleep(0.01)
    center.save(user, subscriptions={**CHOICES, "new-arrivals": ["EMAIL"]})
    late = center.ses_page(ANA["EMAIL"], deliver=False, opt_out=["new-arrivals", "runners-monthly"], at=earlier)
    assert ses_subscriptions.lambda_handler(late, center.context)["outcome"] == "applied"
    # runners-monthly (chosen before) is applied, new-arrivals (chosen after) stays as the owner chose it
    assert record(center, user)["subscriptions"] == {"weekly-specials": ["EMAIL", "SMS"], "new-arrivals": ["EMAIL"]}


def test_redelivery_changes_nothing(center):
    user = subscribed_owner(center)
    event = center.ses_page(ANA["EMAIL"], opt_out=["runners-monthly"])
    before = (record(center, user), consent(center, user))
    assert ses_subscriptions.lambda_handler(event, center.context)["outcome"] == "unchanged"
    assert (record(center, user), consent(center, user)) == before


def test_unknown_addresses_other_lists_and_shared_messages_are_counted_and_change_nothing(center, capsys):
    user = subscribed_owner(center)
    pending = center.optin({"EMAIL": "pending@example.com"}, {"runners-monthly": ["EMAIL"]})  # not confirmed
    before = center.dynamodb.scan(TableName=NAMES.preferences_table)["Items"]
    two = published_event(ANA["EMAIL"], datetime.now(UTC))
    two["detail"]["mail"]["destination"] = [ANA["EMAIL"], "bo@example.com"]
    outcomes = [ses_subscriptions.lambda_handler(e, center.context)["outcome"] for e in (
        published_event("nobody@example.com", datetime.now(UTC)), published_event("pending@example.com"),
        published_event(ANA["EMAIL"], datetime.now(UTC), contact_list="another-list"), two,
        {**two, "detail": {**two["detail"], "eventType": "Open"}})]
    assert outcomes == ["unknown_address", "unknown_address", "other_list", "ambiguous_recipient",
                        "not_a_subscription"]
    assert center.dynamodb.scan(TableName=NAMES.preferences_table)["Items"] == before
    assert consent(center, user)[-1][0] == "confirmation" and pending
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"SesSubscriptions"' in line]
    assert [m["outcome"] for m in metrics] == outcomes


def test_the_address_is_read_the_way_the_preference_center_stores_it(center):
    user = subscribed_owner(center)
    event = published_event(ANA["EMAIL"], datetime.now(UTC))
    event["detail"]["mail"]["destination"] = ["Ana <ANA@Example.com>"]
    assert ses_subscriptions.lambda_handler(event, center.context)["outcome"] == "applied"
    assert record(center, user)["unsubscribed_all"] is True


def test_a_store_failure_is_raised_so_lambda_retries_and_then_keeps_the_event(center, monkeypatch):
    user = subscribed_owner(center)
    before = record(center, user)

    def busy(*_args, **_kwargs):
        raise store.Busy("the preferences store stayed busy")

    monkeypatch.setattr(store, "transact", busy)
    with pytest.raises(store.Busy):
        center.ses_page(ANA["EMAIL"], opt_out=["runners-monthly"])
    assert record(center, user) == before

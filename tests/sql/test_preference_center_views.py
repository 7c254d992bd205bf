"""The preference center's REAL producers (API, stream sync, SMS keyword handler over moto) into the REAL
transform, the Parquet lake and the analyst views on DuckDB: no fixture of our own output anywhere on the way.

Before issue 9's producer work the sync emitted `channel: custom` without an address, so every row below was
missing from its view (the preference-center unsubscribes landed under channel=custom)."""
from __future__ import annotations

import json

import pytest

from tools import preference_center_local
from tools.events_demo import firehose_requests
from tools.local_lake import open_lake, query_view, transform, write_events

ANA = {"EMAIL": "ana@example.com", "SMS": "+34600111222"}
BO = {"EMAIL": "bo@example.com", "SMS": "+34600333444"}


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    with preference_center_local.running() as center:
        ana = center.optin(ANA, {"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL", "SMS"]})
        bo = center.optin(BO, {"weekly-specials": ["EMAIL", "SMS"]})
        center.confirm_everything()
        center.save(ana, subscriptions={"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL"]})
        center.one_click(ana, campaign="spring-sale")
        center.sync()
        center.sms_reply(BO["SMS"], "STOP")
        center.sync()
        records = center.stream_records() + [json.dumps(r).encode() for r in center.replies]
    ok, failed = transform(firehose_requests([("preference_center", r) for r in records]))
    assert not failed and len(ok) == len(records)
    path = tmp_path_factory.mktemp("lake")
    write_events(ok, path)
    return open_lake(path), {ana: "ana", bo: "bo"}


def rows(lake, view: str, *fields: str) -> list[tuple]:
    con, users = lake
    columns, found = query_view(con, view)
    named = [dict(zip(columns, row)) for row in found]
    return sorted(tuple(users.get(r[f], r[f]) if f == "user_id" else r[f] for f in fields) for r in named)


def test_email_subscription_follows_every_email_change(lake):
    assert rows(lake, "email_subscription", "user_id", "email_address", "preference_action", "subscription_status",
                "subscription_source", "publications", "unsubscribe_all") == [
        ("ana", "ana@example.com", "optin", "subscribed", "confirmation", "runners-monthly,weekly-specials", False),
        ("ana", "ana@example.com", "optin_request", "pending", "optin", "runners-monthly,weekly-specials", False),
        ("ana", "ana@example.com", "unsubscribe", "unsubscribed", "one_click", "runners-monthly,weekly-specials",
         True),
        ("bo", "bo@example.com", "optin", "subscribed", "confirmation", "weekly-specials", False),
        ("bo", "bo@example.com", "optin_request", "pending", "optin", "weekly-specials", False)]


def test_sms_subscription_follows_every_sms_change_stop_included(lake):
    assert rows(lake, "sms_subscription", "user_id", "phone_number", "preference_action", "subscription_status",
                "subscription_source", "publications") == [
        ("ana", "+34600111222", "optin", "subscribed", "confirmation", "weekly-specials"),
        ("ana", "+34600111222", "optin_request", "pending", "optin", "weekly-specials"),
        ("ana", "+34600111222", "unsubscribe", "unsubscribed", "page", "weekly-specials"),
        ("bo", "+34600333444", "optin", "subscribed", "confirmation", "weekly-specials"),
        ("bo", "+34600333444", "optin_request", "pending", "optin", "weekly-specials"),
        ("bo", "+34600333444", "unsubscribe", "unsubscribed", "sms_keyword", "weekly-specials")]


def test_email_unsubscribe_and_the_campaign_funnel_count_the_one_click_of_the_campaign_its_link_named(lake):
    assert rows(lake, "email_unsubscribe", "user_id", "email_address", "unsubscribe_source", "preference_source",
                "publications", "campaign_id") == [
        ("ana", "ana@example.com", "preference_center", "one_click", "runners-monthly,weekly-specials",
         "spring-sale")]
    assert rows(lake, "campaign_funnel", "campaign_id", "sends", "unsubscribes") == [("spring-sale", 0, 1)]


def test_sms_optout_counts_each_opt_out_once(lake):
    # Ana's opt-out on the page, and Bo's STOP as the reply itself, not again as the unsubscribe it caused
    assert rows(lake, "sms_optout", "destination_phone_number", "optout_source", "keyword") == [
        ("+34600111222", "preference_center", None), ("+34600333444", "keyword", "STOP")]
    assert rows(lake, "sms_inbound", "customer_phone_number", "keyword", "is_opt_out") == [
        ("+34600333444", "STOP", True)]

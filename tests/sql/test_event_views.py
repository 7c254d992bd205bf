"""Every Athena view, transpiled to DuckDB and run over Parquet written from the transform's output."""
from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from components.events_database.views import read_view_sql, view_names
from tools.local_lake import query_view

SEED_VIEWS = {"email_send", "email_hardbounce", "email_softbounce", "email_complaint", "email_delivered",
              "email_open", "email_click", "email_unsubscribe", "email_reject", "sms_buffered", "sms_success",
              "sms_failure", "sms_optout", "campaign_send"}
NEW_VIEWS = {"email_rendering_failure", "email_delivery_delay", "email_subscription", "campaign_funnel",
             "sms_spend_by_country"}


def rows_as_dicts(con, name: str) -> list[dict]:
    columns, rows = query_view(con, name)
    return [dict(zip(columns, row)) for row in rows]


def test_the_seed_views_and_the_new_ones_all_exist():
    assert set(view_names()) == SEED_VIEWS | NEW_VIEWS


@pytest.mark.parametrize("name", sorted(SEED_VIEWS | NEW_VIEWS))
def test_view_is_a_plain_athena_select_over_all_events(name):
    # Given the view's file
    sql = read_view_sql(name)

    # When parsed as Athena SQL
    tree = sqlglot.parse_one(sql, read="athena")

    # Then it is one SELECT (no CREATE VIEW wrapper) reading only all_events, without the seed's typo
    assert isinstance(tree, exp.Select)
    ctes = {c.alias for c in tree.find_all(exp.CTE)}
    assert {t.name for t in tree.find_all(exp.Table)} - ctes == {"all_events"}
    assert "'treament_id'" not in sql


def test_row_counts_of_every_view_on_the_fixture(fixture_lake):
    counts = {name: len(query_view(fixture_lake, name)[1]) for name in view_names()}
    assert counts == {
        "email_send": 3, "email_delivered": 2, "email_open": 2, "email_click": 1,
        "email_hardbounce": 2,  # one bounce, two recipients
        "email_softbounce": 0, "email_complaint": 1, "email_reject": 1, "email_rendering_failure": 1,
        "email_delivery_delay": 1, "email_subscription": 1,
        "email_unsubscribe": 3,  # unsubscribe link click + SES subscription + preference center
        "campaign_send": 3, "campaign_funnel": 1,
        "sms_buffered": 3, "sms_success": 2, "sms_failure": 2, "sms_optout": 2, "sms_spend_by_country": 2,
    }


def test_hard_bounce_has_one_row_per_recipient(fixture_lake):
    rows = rows_as_dicts(fixture_lake, "email_hardbounce")
    assert sorted((r["message_id"], r["bounced_recipient_email_address"], r["bounced_recipient_status"],
                   r["bounced_recipient_diagnostic_code"], r["bounce_type"]) for r in rows) == [
        ("B", "b1@x.com", "5.1.1", "smtp; 550 b1@x.com unknown", "Permanent"),
        ("B", "b2@x.com", "5.1.1", "smtp; 550 b2@x.com unknown", "Permanent")]
    assert {str(r["event_timestamp"]) for r in rows} == {"2026-02-01 10:05:00"}


def test_campaign_funnel_counts_and_rates(fixture_lake):
    [row] = rows_as_dicts(fixture_lake, "campaign_funnel")
    assert row == {
        "campaign_id": "c1", "sends": 3, "deliveries": 2, "unique_opens": 1, "unique_clicks": 1, "bounces": 1,
        "hard_bounces": 1, "complaints": 1, "unsubscribes": 2, "unique_recipients": 5,
        "delivery_rate": 0.6667, "bounce_rate": 0.3333, "open_rate": 0.5, "click_rate": 0.5,
        "complaint_rate": 0.5, "unsubscribe_rate": 1.0,
    }


def test_sms_spend_counts_each_message_once(fixture_lake):
    rows = sorted(rows_as_dicts(fixture_lake, "sms_spend_by_country"), key=lambda r: r["iso_country_code"])
    assert rows == [
        {"day": "2026-02-01", "iso_country_code": "GB", "messages": 2, "message_parts": 3, "spend_usd": 0.1185,
         "carrier_fees_usd": 0.0},
        {"day": "2026-02-01", "iso_country_code": "US", "messages": 2, "message_parts": 2, "spend_usd": 0.01162,
         "carrier_fees_usd": 0.0},
    ]


def test_unsubscribe_sources(fixture_lake):
    rows = rows_as_dicts(fixture_lake, "email_unsubscribe")
    assert sorted((r["unsubscribe_source"], r["email_address"], r["campaign_id"]) for r in rows) == [
        ("list_unsubscribe", "c@x.com", "c1"), ("preference_center", "pc@x.com", None),
        ("unsubscribe_link", "a1@x.com", "c1")]


def test_sms_status_views_follow_the_end_user_messaging_mapping(fixture_lake):
    def pairs(name):
        return sorted(((r["message_id"], r["event_type"]) for r in rows_as_dicts(fixture_lake, name)), key=str)

    assert pairs("sms_success") == [("S1", "text_delivered"), ("S3", "text_delivered")]
    assert pairs("sms_failure") == [("S2", "text_carrier_blocked"), ("S4", "text_blocked")]
    assert pairs("sms_optout") == [("S4", "text_blocked"), (None, "preference_center.unsubscribe")]
    [buffered] = [r for r in rows_as_dicts(fixture_lake, "sms_buffered") if r["message_id"] == "S2"]
    assert (buffered["number_of_message_parts"], buffered["price_usd"], buffered["iso_country_code"]) == (2, 0.079, "GB")
    assert buffered["price_in_millicents_usd"] == pytest.approx(7900.0)


def test_delivered_and_send_columns(fixture_lake):
    delivered = {r["message_id"]: r for r in rows_as_dicts(fixture_lake, "email_delivered")}
    assert delivered["A"]["recipients"] == ["a1@x.com", "a2@x.com"]
    assert delivered["A"]["processing_time_millis"] == 2000
    sends = {r["message_id"]: r for r in rows_as_dicts(fixture_lake, "email_send")}
    assert sends["C"]["message_tags"] == {"ses:configuration-set": "engagement", "campaign_id": "c1"}
    assert sends["C"]["subject"] == "subject C"

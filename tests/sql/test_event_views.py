"""Every Athena view, transpiled to DuckDB and run over Parquet written from the transform's own output."""
from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from components.events_database.views import read_view_sql, view_names
from tools.local_lake import query_view

SEED_VIEWS = {"email_send", "email_hardbounce", "email_softbounce", "email_complaint", "email_delivered",
              "email_open", "email_click", "email_unsubscribe", "email_reject", "sms_buffered", "sms_success",
              "sms_failure", "sms_optout", "campaign_send", "journey_send"}
NEW_VIEWS = {"email_rendering_failure", "email_delivery_delay", "email_subscription", "campaign_funnel",
             "sms_spend_by_country", "sms_inbound", "sms_subscription"}


def rows_as_dicts(con, name: str) -> list[dict]:
    columns, rows = query_view(con, name)
    return [dict(zip(columns, row)) for row in rows]


def test_the_seed_views_and_the_new_ones_all_exist():
    assert set(view_names()) == SEED_VIEWS | NEW_VIEWS


@pytest.mark.parametrize("name", sorted(SEED_VIEWS | NEW_VIEWS))
def test_view_is_a_plain_athena_select_over_all_events_that_prunes_on_kind(name):
    sql = read_view_sql(name)
    tree = sqlglot.parse_one(sql, read="athena")
    assert isinstance(tree, exp.Select)
    ctes = {c.alias for c in tree.find_all(exp.CTE)}
    assert {t.name for t in tree.find_all(exp.Table)} - ctes == {"all_events"}
    assert "'treament_id'" not in sql
    # every view names the partitions it needs, so Athena reads only those files
    assert "kind" in {c.name for c in tree.find_all(exp.Column)}


def test_row_counts_of_every_view_on_the_fixture(fixture_lake):
    counts = {name: len(query_view(fixture_lake, name)[1]) for name in view_names()}
    assert counts == {
        "email_send": 3, "email_delivered": 2, "email_open": 2, "email_click": 1,
        "email_hardbounce": 2,  # one bounce, two recipients
        "email_softbounce": 0, "email_complaint": 1, "email_reject": 1, "email_rendering_failure": 1,
        "email_delivery_delay": 1,
        "email_subscription": 2,  # SES contact-list opt-out + the preference center's email unsubscribe
        "email_unsubscribe": 3,  # unsubscribe link click + SES subscription + preference center
        "campaign_send": 3, "campaign_funnel": 1, "journey_send": 0,
        "sms_buffered": 3, "sms_success": 3, "sms_failure": 2,
        "sms_optout": 2,  # the STOP reply + the preference center's sms unsubscribe (not its sms_keyword echo)
        "sms_inbound": 2, "sms_spend_by_country": 3,
        "sms_subscription": 2,  # the preference center's sms unsubscribe and its sms_keyword one, both changes
    }


def test_hard_bounce_has_one_row_per_recipient(fixture_lake):
    rows = rows_as_dicts(fixture_lake, "email_hardbounce")
    assert sorted((r["message_id"], r["bounced_recipient_email_address"], r["bounced_recipient_status"],
                   r["bounced_recipient_diagnostic_code"], r["bounce_type"]) for r in rows) == [
        ("B", "b1@x.com", "5.1.1", "smtp; 550 b1@x.com unknown", "Permanent"),
        ("B", "b2@x.com", "5.1.1", "smtp; 550 b2@x.com unknown", "Permanent")]
    assert {(str(r["event_timestamp"]), str(r["message_send_timestamp"]), r["hour"]) for r in rows} == {
        ("2026-02-01 10:05:00", "2026-02-01 10:00:00", "10")}


def test_campaign_funnel_counts_and_rates(fixture_lake):
    [row] = rows_as_dicts(fixture_lake, "campaign_funnel")
    assert row == {
        "campaign_id": "c1", "sends": 3, "deliveries": 2, "unique_opens": 1, "unique_clicks": 1, "bounces": 1,
        "hard_bounces": 1, "complaints": 1, "unsubscribes": 3, "unique_recipients": 5,
        "delivery_rate": 0.6667, "bounce_rate": 0.3333, "open_rate": 0.5, "click_rate": 0.5,
        "complaint_rate": 0.5, "unsubscribe_rate": 1.5,
    }


def test_sms_spend_counts_each_message_once(fixture_lake):
    rows = sorted(rows_as_dicts(fixture_lake, "sms_spend_by_country"), key=lambda r: r["iso_country_code"])
    assert [(r["iso_country_code"], r["messages"], r["message_parts"], r["spend_usd"]) for r in rows] == [
        ("DE", 1, 1, 0.0854), ("GB", 2, 3, 0.1185), ("US", 2, 2, 0.01162)]


def test_unsubscribes_from_every_path_reach_email_unsubscribe(fixture_lake):
    # Defect 1: preference-center unsubscribes never reached a view; built by the contract's builder they do
    rows = rows_as_dicts(fixture_lake, "email_unsubscribe")
    assert sorted((r["unsubscribe_source"], r["email_address"], r["campaign_id"], r["preference_source"])
                  for r in rows) == [
        ("list_unsubscribe", "c@x.com", "c1", None), ("preference_center", "pc@x.com", "c1", "one_click"),
        ("unsubscribe_link", "a1@x.com", "c1", None)]
    [pc] = [r for r in rows if r["unsubscribe_source"] == "preference_center"]
    assert (pc["user_id"], pc["publications"]) == ("u-pc", "weekly")


def test_sms_success_is_the_final_success_of_either_type_one_row_per_message(fixture_lake):
    # Defect 3: a final TEXT_SUCCESSFUL (S5) is a success, a non-final one is buffered
    success = {r["message_id"]: (r["event_type"], r["is_final"]) for r in rows_as_dicts(fixture_lake, "sms_success")}
    assert success == {"S1": ("text_delivered", True), "S3": ("text_delivered", True),
                       "S5": ("text_successful", True)}
    buffered = sorted((r["message_id"], r["is_final"]) for r in rows_as_dicts(fixture_lake, "sms_buffered"))
    assert buffered == [("S1", False), ("S2", False), ("S3", False)]
    [s2] = [r for r in rows_as_dicts(fixture_lake, "sms_buffered") if r["message_id"] == "S2"]
    assert (s2["number_of_message_parts"], s2["price_usd"], s2["iso_country_code"]) == (2, 0.079, "GB")
    assert s2["price_in_millicents_usd"] == pytest.approx(7900.0)


def test_sms_optout_counts_stop_replies_and_preference_center_opt_outs_once(fixture_lake):
    rows = rows_as_dicts(fixture_lake, "sms_optout")
    assert sorted((r["optout_source"], r["destination_phone_number"], r["origination_phone_number"], r["keyword"])
                  for r in rows) == [("keyword", "+S1", "+12065550152", "STOP"),
                                     ("preference_center", "+15550100", None, None)]
    failures = sorted((r["message_id"], r["event_type"]) for r in rows_as_dicts(fixture_lake, "sms_failure"))
    assert failures == [("S2", "text_carrier_blocked"), ("S4", "text_blocked")]


def test_every_reply_is_in_sms_inbound(fixture_lake):
    rows = sorted(rows_as_dicts(fixture_lake, "sms_inbound"), key=lambda r: r["inbound_message_id"])
    assert [(r["customer_phone_number"], r["keyword"], r["message_body"], r["is_opt_out"]) for r in rows] == [
        ("+S1", "STOP", "STOP", True), ("+S3", "THANKS", "Thanks!", False)]


def test_subscription_changes_from_ses_and_the_preference_center(fixture_lake):
    rows = rows_as_dicts(fixture_lake, "email_subscription")
    assert sorted((r["event_source"], r["email_address"], r["subscription_status"], r["subscription_source"],
                   r["unsubscribe_all"]) for r in rows) == [
        ("preference_center", "pc@x.com", "unsubscribed", "one_click", True),
        ("ses", "c@x.com", "unsubscribed", "UnsubscribeHeader", True)]


def test_delivery_delay_expiration_is_a_timestamp(fixture_lake):
    [row] = rows_as_dicts(fixture_lake, "email_delivery_delay")
    assert str(row["expiration_time"]) == "2026-02-01 23:00:00"
    assert row["delay_type"] == "MailboxFull"


def test_delivered_and_send_columns(fixture_lake):
    delivered = {r["message_id"]: r for r in rows_as_dicts(fixture_lake, "email_delivered")}
    assert delivered["A"]["recipients"] == ["a1@x.com", "a2@x.com"]
    assert delivered["A"]["processing_time_millis"] == 2000
    sends = {r["message_id"]: r for r in rows_as_dicts(fixture_lake, "email_send")}
    assert sends["C"]["message_tags"] == {"ses:configuration-set": "engagement", "campaign_id": "c1"}
    assert sends["C"]["subject"] == "subject C"

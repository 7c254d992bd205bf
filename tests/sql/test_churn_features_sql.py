"""The churn feature query on DuckDB, fed the way production is: SES event-publishing JSON and app events
through the real events transform into the lake, the attributes file in the seed's endpoint-export shape.

Every number below is worked out from the events the test writes (as_of 2026-03-01, windows 7 and 30 days).
"""
from __future__ import annotations

import os
import random
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from contracts.churn_features import AttributeSpec, FeatureSpec, FeatureSpecError, bind, placeholders
from tools.churn_features_local import feature_rows, open_feature_db, rendered_sql
from tools.local_lake import transform, write_events
from tools.sample_customers import SEED_COLUMNS
from tools.sample_events import custom_app_event, firehose_batches, ses_detail, ses_mail, sms_message_events

AS_OF = date(2026, 3, 1)
SPEC = FeatureSpec(AttributeSpec(SEED_COLUMNS, "Id", "Attributes.Churn", SEED_COLUMNS[3:-1], ("ChannelType",),
                                 "Address"), (7, 30))
CUSTOMERS = """ChannelType,Id,Address,Attributes.AccountLength,Attributes.PlanOptionA,Attributes.PlanOptionB,Attributes.PlanOptionC,Attributes.UsageWeekdays,Attributes.UsageWeekends,Attributes.SharedWithFriend,Attributes.Churn
EMAIL,c1,c1@example.net,141,1,1,1,93,79,0,0
EMAIL,c2,C2@Example.NET,173,1,0,1,16,33,0,1
EMAIL,c3,c3@example.net,282,0,1,1,96,2,1,0
EMAIL,c4,c4@example.net,201,0,0,0,18,22,0,0
EMAIL,c5,c5@example.net,180,1,0,1,61,86,0,1
EMAIL,c6,c6@example.net,,1,1,0,1,2,0,0
EMAIL,c7,c7@example.net,236,0,0,1,98,59,0,0
"""


def _ms(day: int, month: int = 2, hour: int = 10) -> int:
    return int(datetime(2026, month, day, hour, tzinfo=timezone.utc).timestamp() * 1000)


def _message(rng, user, address, ms, kinds, tagged=True, link="https://example.com/p/1"):
    mail = ses_mail(rng, ms, [address], "winback", user)
    if not tagged:
        del mail["tags"]["user_id"]
    events = []
    for step, kind in enumerate(kinds):
        key, detail = ses_detail(rng, kind, ms + step * 60_000, [address])
        if kind == "Bounce":
            detail.update(bounceType="Permanent", bounceSubType="General")
        if kind == "Click":
            detail.update(link=link, linkTags={"unsubscribeLinkTag": ["footer"]} if "unsubscribe" in link else {})
        if kind == "Subscription":
            detail["newTopicPreferences"]["unsubscribeAll"] = True
        events.append({"eventType": kind, "mail": mail, key: detail})
    return events


@pytest.fixture(scope="module")
def connection(tmp_path_factory):
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    rng = random.Random(3)
    events = [
        *_message(rng, "c1", "c1@example.net", _ms(25), ["Send", "Delivery", "Open", "Click"]),
        *_message(rng, "c1", "c1@example.net", _ms(10), ["Send", "Delivery"]),
        *_message(rng, "c1", "c1@example.net", _ms(1, month=3), ["Send", "Delivery", "Open"]),  # after as_of
        *_message(rng, "c1", "c1@example.net", _ms(15, month=1), ["Send"]),  # before the history
        *_message(rng, "c2", "c2@example.net", _ms(20), ["Send", "Delivery", "Open"], tagged=False),
        *_message(rng, "c3", "c3@example.net", _ms(27), ["Send", "Bounce"], tagged=False),
        *_message(rng, "c4", "c4@example.net", _ms(5), ["Send", "Delivery", "Complaint"]),
        *_message(rng, "c5", "c5@example.net", _ms(26), ["Send", "Delivery", "Subscription"], tagged=False),
        *_message(rng, "c7", "c7@example.net", _ms(28), ["Send", "Delivery", "Click"],
                  link="https://example.com/unsubscribe"),
        {**custom_app_event(rng, _ms(24)), "user_id": "c6"},  # app activity: not an email feature
        *sms_message_events(rng, _ms(24)),
    ]
    folder = tmp_path_factory.mktemp("churn-sql")
    ok, failed = transform(firehose_batches(events))
    assert not failed
    write_events(ok, folder / "lake")
    (folder / "customers.csv").write_text(CUSTOMERS)
    return open_feature_db(folder / "lake", folder / "customers.csv", SPEC)


@pytest.fixture(scope="module")
def rows(connection):
    return {row["customer_id"]: row for row in feature_rows(connection, SPEC, AS_OF)}


def _activity(**values):
    row = {f"{kind}_count_{w}d": 0 for kind in ("send", "delivery", "open", "click", "bounce", "complaint",
                                                "unsubscribe") for w in (7, 30)}
    row.update({f"days_since_{kind}": 30.0 for kind in ("send", "delivery", "open", "click", "bounce", "complaint",
                                                        "unsubscribe")})
    row.update(values)
    return row


def test_columns_follow_the_contract_in_order(rows):
    assert list(rows["c1"]) == SPEC.output_columns
    assert SPEC.output_columns[:3] == ["customer_id", "address", "label"]


def test_customer_known_by_user_id_counts_only_events_before_as_of_within_the_history(rows):
    row = rows["c1"]
    assert {k: row[k] for k in row if k.startswith(("send", "delivery", "open", "click", "days_since"))} == {
        k: v for k, v in _activity(send_count_7d=1, send_count_30d=2, delivery_count_7d=1, delivery_count_30d=2,
                                   open_count_7d=1, open_count_30d=1, click_count_7d=1, click_count_30d=1,
                                   days_since_send=3.0, days_since_delivery=3.0, days_since_open=3.0,
                                   days_since_click=3.0).items() if k.startswith(("send", "delivery", "open",
                                                                                  "click", "days_since"))}


def test_customer_known_only_by_address_is_matched_through_the_message(rows):
    assert rows["c2"]["send_count_30d"] == 1 and rows["c2"]["open_count_30d"] == 1
    assert rows["c2"]["open_count_7d"] == 0 and rows["c2"]["days_since_open"] == 8.0
    assert rows["c2"]["address"] == "c2@example.net" and rows["c2"]["label"] == "1"


def test_bounce_complaint_and_unsubscribe_count_for_the_recipient_they_name(rows):
    assert (rows["c3"]["bounce_count_7d"], rows["c3"]["days_since_bounce"]) == (1, 1.0)
    assert (rows["c4"]["complaint_count_7d"], rows["c4"]["complaint_count_30d"]) == (0, 1)
    assert rows["c4"]["days_since_complaint"] == 23.0
    assert (rows["c5"]["unsubscribe_count_7d"], rows["c5"]["days_since_unsubscribe"]) == (1, 2.0)


def test_unsubscribe_link_click_is_an_unsubscribe_not_a_click(rows):
    assert rows["c7"]["unsubscribe_count_7d"] == 1
    assert rows["c7"]["click_count_30d"] == 0 and rows["c7"]["days_since_click"] == 30.0


def test_customer_without_email_events_has_zero_counts_and_capped_recency(rows):
    row = rows["c6"]
    assert {k: v for k, v in row.items() if k in _activity()} == _activity()
    assert row["attributes_accountlength"] is None and row["attributes_planoptiona"] == 1.0
    assert row["channeltype"] == "EMAIL"


def test_every_customer_of_the_attributes_file_gets_exactly_one_row(rows):
    assert sorted(rows) == ["c1", "c2", "c3", "c4", "c5", "c6", "c7"]


def test_the_query_never_reads_the_clock_and_binds_only_dates():
    sql = rendered_sql(SPEC)
    assert placeholders(sql) == {"as_of", "history_start"}
    lowered = sql.lower()
    assert "now()" not in lowered and "current_date" not in lowered and "current_timestamp" not in lowered
    bound = bind(sql, AS_OF, SPEC)
    assert "'2026-03-01'" in bound and "'2026-01-30'" in bound and "${" not in bound


def test_a_bad_table_name_is_refused_before_it_reaches_sql():
    from contracts.churn_features import render

    with pytest.raises(FeatureSpecError, match="plain lower-case"):
        render("SELECT 1", SPEC, "due_eventdb; DROP TABLE x", "db.t")


def test_same_as_of_gives_identical_rows_twice(connection, rows):
    again = {row["customer_id"]: row for row in feature_rows(connection, SPEC, AS_OF)}
    assert again == rows

"""An opt-out made on SES's own unsubscribe page, through the REAL producers into the REAL transform, the Parquet lake
and the analyst views on DuckDB: SES's Subscription record (tools.ses_subscription_page, built from AWS's published
record, as SES's Firehose destination delivers it) and the preference center's own unsubscribe event (the real
handler applies the SES event to the owner's record, the real sync reports it, source `ses_subscription`).

One opt-out, two stores changed: `email_subscription` shows both changes; `email_unsubscribe` counts it once (the SES
row), and so does `campaign_funnel`. Without the views' `ses_subscription` exclusion it was counted twice.
"""
from __future__ import annotations

import json

import pytest

from tools import preference_center_local
from tools.events_demo import firehose_requests
from tools.local_lake import open_lake, query_view, transform, write_events

ANA = {"EMAIL": "ana@example.com"}


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    with preference_center_local.running() as center:
        ana = center.optin(ANA, {"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL"]})
        center.confirm_everything()
        center.sync()
        center.ses_page(ANA["EMAIL"], opt_out=["runners-monthly"])
        center.sync()
        records = center.stream_records() + [json.dumps(r).encode() for r in center.ses_records]
    ok, failed = transform(firehose_requests([("preference_center", r) for r in records]))
    assert not failed and len(ok) == len(records)
    path = tmp_path_factory.mktemp("lake")
    write_events(ok, path)
    return open_lake(path), {ana: "ana"}


def rows(lake, view: str, *fields: str) -> list[tuple]:
    con, users = lake
    columns, found = query_view(con, view)
    named = [dict(zip(columns, row)) for row in found]
    return sorted(tuple(users.get(r[f], r[f]) if f == "user_id" else r[f] for f in fields) for r in named)


def test_email_subscription_shows_the_ses_change_and_the_records_change(lake):
    changes = rows(lake, "email_subscription", "event_source", "user_id", "preference_action",
                   "subscription_status", "subscription_source", "publications")
    assert ("ses", None, None, "unsubscribed", "UnsubscribeHeader", None) in changes
    assert ("preference_center", "ana", "unsubscribe", "unsubscribed", "ses_subscription", "runners-monthly") \
        in changes


def test_email_unsubscribe_counts_one_ses_page_opt_out_once(lake):
    assert rows(lake, "email_unsubscribe", "email_address", "unsubscribe_source") == [
        ("ana@example.com", "list_unsubscribe")]

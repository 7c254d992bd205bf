"""Firehose delivers at least once: a batch retried after a timeout, or SES publishing an event twice, puts the
same source record in the lake twice (a second object, same event_id). The aggregate views must count it once;
row views keep both rows, which share event_id (the column analysts dedupe on)."""
from __future__ import annotations

import pytest
from views_fixture import fixture_events

from components.events_database.views import view_names
from tools.local_lake import open_lake, query_view, transform, write_events
from tools.sample_events import firehose_batches

AGGREGATE_VIEWS = ("campaign_funnel", "sms_spend_by_country")


def _lake(root, deliveries: int):
    ok, failed = transform(firehose_batches(fixture_events()))
    assert not failed, failed
    for n in range(deliveries):  # each delivery is its own S3 object, as Firehose writes a retried batch
        write_events(ok, root, part=f"part-{n:05d}")
    return open_lake(root)


@pytest.fixture(scope="module")
def lakes(tmp_path_factory):
    return _lake(tmp_path_factory.mktemp("once"), 1), _lake(tmp_path_factory.mktemp("twice"), 2)


@pytest.mark.parametrize("name", AGGREGATE_VIEWS)
def test_aggregate_views_count_a_redelivered_record_once(lakes, name):
    once, twice = lakes
    assert sorted(query_view(twice, name)[1], key=repr) == sorted(query_view(once, name)[1], key=repr)


def test_row_views_keep_redelivered_rows_under_the_same_event_id(lakes):
    once, twice = lakes
    for name in sorted(set(view_names()) - set(AGGREGATE_VIEWS)):
        columns, rows_once = query_view(once, name)
        rows_twice = query_view(twice, name)[1]
        assert "event_id" in columns, name
        at = columns.index("event_id")
        if name == "sms_success":  # one row per message by construction
            assert len(rows_twice) == len(rows_once)
            continue
        assert len(rows_twice) == 2 * len(rows_once), name
        assert {r[at] for r in rows_twice} == {r[at] for r in rows_once}, name

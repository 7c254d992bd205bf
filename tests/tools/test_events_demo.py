"""`make demo` end to end: every producer, the real transform, the lake, every view; nothing lost, and every
event type a producer emits reaches the views the contract says it feeds (contracts.events.VIEW_FEEDS)."""
from __future__ import annotations

import pytest

from components.events_database.views import view_names
from contracts.events import VIEW_FEEDS
from contracts.events.vocabulary import PREFERENCE_CHANNEL_ACTIONS
from tools.events_demo import build, main
from tools.local_lake import open_lake, query_view

# Event groups that feed no view by design (VIEW_FEEDS lists none for them); analysts query them in all_events.
PAGE_EVENTS = ("preference_center.open", "preference_center.read")


def unviewed(source: str, channel: str, event_type: str) -> bool:
    return (source == "app" or channel == "voice" or event_type in PAGE_EVENTS
            or (source == "pinpoint_legacy" and event_type == "session.start"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    import os

    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    return build(tmp_path_factory.mktemp("demo"), days=1, events_per_day=600)


def test_nothing_is_lost_per_producer(demo):
    assert set(demo.records_in) == {"aws_published", "generated", "preference_center", "custom_app", "malformed",
                                    "history_import"}
    for producer, count in demo.records_in.items():
        assert count == demo.rows_out[producer] + demo.failed[producer], producer
    assert demo.failed["malformed"] == demo.records_in["malformed"] == 4
    assert sum(demo.failed.values()) == 4, "every other producer's records are all accepted"
    assert demo.failed_bytes_kept and demo.lossless
    assert demo.lake_rows == sum(demo.rows_out.values())
    kept = (demo.lake / "errors" / "processing-failed" / "part-00000.jsonl").read_bytes()
    assert b"\xff\xfe not utf-8" in kept and b'"colour": "red"' in kept


def test_every_view_has_rows_and_only_from_the_producers_meant_for_it(demo):
    con = open_lake(demo.lake)
    for name in view_names():
        columns, rows = query_view(con, name)
        assert rows, f"no producer reached {name}"
        if "event_id" not in columns:
            continue
        ids = [row[columns.index("event_id")] for row in rows]
        found = set(con.execute(
            "SELECT DISTINCT event_source, event_type FROM all_events WHERE list_contains(?, event_id)",
            [ids]).fetchall())
        allowed = {(source, t) for source, types, _ in VIEW_FEEDS[name] for t in types}
        assert found <= allowed, f"{name} holds {sorted(found - allowed)}, which VIEW_FEEDS does not list"


def test_every_event_reaches_a_view_meant_for_it(demo):
    con = open_lake(demo.lake)
    in_view: dict[str, set] = {}
    for name in view_names():
        columns, rows = query_view(con, name)
        key = "message_id" if name == "sms_success" else "event_id"  # sms_success is one row per message
        if key in columns:
            in_view[name] = {row[columns.index(key)] for row in rows}
    lake = con.execute("SELECT event_id, message_id, event_source, channel, event_type, tags FROM all_events"
                       ).fetchall()
    missing = []
    for event_id, message_id, source, channel, event_type, tags in lake:
        meant = [v for v, feeds in VIEW_FEEDS.items() for s, types, _ in feeds if s == source and event_type in types]
        if unviewed(source, channel, event_type):
            continue
        if not any((message_id if v == "sms_success" else event_id) in in_view.get(v, ()) for v in meant):
            missing.append((source, channel, event_type))
    assert not missing, sorted(set(missing))


def test_demo_cli_prints_the_table_and_exits_zero(tmp_path, capsys, monkeypatch):
    for name in ("POWERTOOLS_TRACE_DISABLED", "POWERTOOLS_METRICS_DISABLED", "POWERTOOLS_LOG_LEVEL"):
        monkeypatch.setenv(name, "true" if "DISABLED" in name else "ERROR")
    assert main(["--days", "1", "--events-per-day", "50", "--out", str(tmp_path / "lake")]) == 0
    out = capsys.readouterr().out
    assert "nothing lost: yes" in out and "rows per view and per source" in out
    assert all(f"\n{name} " in out for name in view_names())


def test_the_preference_centers_own_events_reach_every_view_meant_for_them(demo):
    # Issue 9, defect 1: the real API, sync and keyword handler feed the subscription, unsubscribe and opt-out views
    con = open_lake(demo.lake)
    events = con.execute("SELECT event_id, channel, event_type, tags FROM all_events "
                         "WHERE event_source = 'preference_center' AND channel <> 'custom'").fetchall()
    emitted = {event_type.removeprefix("preference_center.") for _, _, event_type, _ in events}
    assert emitted == set(PREFERENCE_CHANNEL_ACTIONS), "the demo runs every channel action for real"

    def ids(view):
        columns, rows = query_view(con, view)
        return {row[columns.index("event_id")] for row in rows}

    subscription = {"email": ids("email_subscription"), "sms": ids("sms_subscription")}
    email_unsubscribe, sms_optout = ids("email_unsubscribe"), ids("sms_optout")
    for event_id, channel, event_type, tags in events:
        assert event_id in subscription[channel], (channel, event_type)
        unsubscribe = event_type == "preference_center.unsubscribe"
        assert (event_id in email_unsubscribe) == (unsubscribe and channel == "email"), (channel, event_type)
        # A STOP the preference center applied is counted once in sms_optout: as the reply, not as this echo
        assert (event_id in sms_optout) == (unsubscribe and channel == "sms" and tags["source"] != "sms_keyword")
    [(stops,)] = con.execute("SELECT count(*) FROM all_events WHERE kind = 'text_inbound' AND status = 'opted_out' "
                             "AND sending_address IN ('+12065550178', '+12065550199')").fetchall()
    columns, rows = query_view(con, "sms_optout")
    keyword_rows = [r for r in rows if r[columns.index("optout_source")] == "keyword"
                    and r[columns.index("destination_phone_number")] in ("+12065550178", "+12065550199")]
    assert stops == len(keyword_rows) == 2

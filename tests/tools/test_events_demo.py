"""`make demo` end to end: every producer, the real transform, the lake, every view; nothing lost, and every
event type a producer emits reaches the views the contract says it feeds (contracts.events.VIEW_FEEDS)."""
from __future__ import annotations

import pytest

from components.events_database.views import view_names
from contracts.events import VIEW_FEEDS
from tools.events_demo import build, main
from tools.local_lake import open_lake, query_view

# Event groups that feed no view by design; analysts query them in all_events.
PAGE_AND_ADDRESS = ("preference_center.open", "preference_center.read", "preference_center.update")


def unviewed(source: str, channel: str, event_type: str, tags: dict) -> bool:
    return (source == "app" or channel == "voice" or event_type in PAGE_AND_ADDRESS
            or (source == "preference_center" and channel == "sms" and event_type != "preference_center.unsubscribe")
            or tags.get("source") == "sms_keyword"  # a STOP the preference center applied: counted as the reply
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
        if unviewed(source, channel, event_type, tags):
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

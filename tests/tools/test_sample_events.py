"""The sample-event generator: deterministic, realistic enough to exercise every source and view."""
from __future__ import annotations

import base64
import json
from collections import Counter

from tools.sample_events import firehose_batches, generate_events, main


def test_same_seed_same_events_and_other_seed_other_events():
    assert generate_events(2, 100, seed=3) == generate_events(2, 100, seed=3)
    assert generate_events(2, 100, seed=3) != generate_events(2, 100, seed=4)


def test_all_sources_and_all_ten_ses_types_appear():
    events = generate_events(5, 400)
    ses_types = Counter(e["eventType"] for e in events if "mail" in e)
    assert set(ses_types) == {"Send", "Delivery", "Bounce", "Complaint", "Reject", "Open", "Click",
                              "Rendering Failure", "DeliveryDelay", "Subscription"}
    assert any(len(e["mail"]["destination"]) > 1 for e in events if "mail" in e)
    assert {e["isoCountryCode"] for e in events if "isoCountryCode" in e} >= {"US", "GB", "DE"}
    assert any(e.get("app_id") == "preference-center" and e.get("channel") == "sms" for e in events)
    assert any(e.get("Type") == "Notification" for e in events), "two-way replies arrive in SNS's envelope"
    assert any(e.get("app_id") == "shop-web" for e in events)
    assert len(events) == 5 * 400


def test_firehose_batches_wrap_each_event_as_one_base64_json_line():
    events = generate_events(1, 30)
    batches = list(firehose_batches(events, batch_size=8))
    assert [len(b["records"]) for b in batches] == [8, 8, 8, 6]
    first = batches[0]["records"][0]
    assert json.loads(base64.b64decode(first["data"])) == events[0]
    assert len({r["recordId"] for b in batches for r in b["records"]}) == 30


def test_cli_writes_both_formats(tmp_path):
    main(["--days", "2", "--events-per-day", "20", "--out", str(tmp_path / "a")])
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["events-2026-01-01.jsonl", "events-2026-01-02.jsonl"]
    main(["--days", "1", "--events-per-day", "20", "--out", str(tmp_path / "b"), "--format", "pinpoint-parquet"])
    assert list((tmp_path / "b" / "events").rglob("*.parquet"))

"""The local lake: generated events through the real handler into Firehose's partitioned layout."""
from __future__ import annotations

import base64

from tools.local_lake import build, main, open_lake, transform, write_errors


def test_build_writes_partitioned_parquet_that_the_views_read(tmp_path):
    ok, failed = build(days=2, events_per_day=150, out=tmp_path)
    assert (ok, failed) == (300, 0)
    dirs = {p.parent.relative_to(tmp_path / "events").parts[:2] for p in (tmp_path / "events").rglob("*.parquet")}
    assert {("channel=email", "dt=2026-01-01"), ("channel=sms", "dt=2026-01-02")} <= dirs
    con = open_lake(tmp_path)
    assert con.execute("SELECT count(*) FROM all_events").fetchall() == [(300,)]


def test_rejected_records_land_under_errors_with_original_bytes(tmp_path):
    request = {"records": [{"recordId": "1", "approximateArrivalTimestamp": 0,
                            "data": base64.b64encode(b"not json").decode()}]}
    ok, failed = transform([request])
    assert (ok, failed) == ([], [b"not json"])
    path = write_errors(failed, tmp_path)
    assert path.read_bytes() == b"not json\n"


def test_demo_prints_view_results(tmp_path, capsys, monkeypatch):
    # main() quiets Powertools through the environment; keep that from leaking into other tests
    for name in ("POWERTOOLS_TRACE_DISABLED", "POWERTOOLS_METRICS_DISABLED", "POWERTOOLS_LOG_LEVEL"):
        monkeypatch.setenv(name, "true" if "DISABLED" in name else "ERROR")
    main(["--days", "1", "--events-per-day", "100", "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert "100 canonical records written" in out
    assert "== campaign_funnel" in out and "== sms_spend_by_country" in out

"""The history importer: old DUE Parquet in, new partitioned lake out, nothing lost on the way."""
from __future__ import annotations

from collections import Counter

import pyarrow.parquet as pq

from tools.import_history import counts_out, main
from tools.local_lake import open_lake
from tools.sample_pinpoint import pinpoint_rows, write_pinpoint_parquet


def test_counts_per_event_type_are_preserved(tmp_path, capsys):
    # Given two days of old-schema files
    rows = pinpoint_rows(2, 150, seed=11)
    write_pinpoint_parquet(rows, tmp_path / "old")

    # When imported
    rc = main(["--source", str(tmp_path / "old"), "--dest", str(tmp_path / "new")])

    # Then every legacy type comes out as often as it went in, and the tool says so
    assert rc == 0
    expected = Counter(r["event_type"] for r in rows)
    assert counts_out(tmp_path / "new") == expected
    assert f"total{sum(expected.values()):>33}{sum(expected.values()):>10}   failed: 0" in capsys.readouterr().out


def test_output_uses_the_new_layout_and_schema(tmp_path):
    write_pinpoint_parquet(pinpoint_rows(1, 60, seed=2), tmp_path / "old")
    main(["--source", str(tmp_path / "old" / "events" / "**" / "*.parquet"), "--dest", str(tmp_path / "new")])
    files = list((tmp_path / "new" / "events").rglob("*.parquet"))
    assert files and all(f.parts[-4].startswith("channel=") and f.parts[-3].startswith("dt=2025-06-01")
                          for f in files)
    assert "tags" in pq.read_schema(files[0]).names
    con = open_lake(tmp_path / "new")
    sources = con.execute("SELECT DISTINCT event_source FROM all_events").fetchall()
    assert sources == [("pinpoint_legacy",)]


def test_missing_source_is_an_error(tmp_path):
    assert main(["--source", str(tmp_path / "nothing*.parquet"), "--dest", str(tmp_path / "new")]) == 2

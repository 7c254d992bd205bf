"""The local lake: Firehose requests through the real handler into Firehose's partitioned Parquet layout."""
from __future__ import annotations

import base64

import pyarrow.parquet as pq

from tools.local_lake import open_lake, transform, write_errors, write_events
from tools.sample_events import firehose_batches, generate_events


def test_written_lake_uses_the_contract_partitions_and_the_stream_compression(tmp_path):
    ok, failed = transform(firehose_batches(generate_events(2, 150)))
    assert (len(ok), failed) == (300, [])
    write_events(ok, tmp_path)
    files = list((tmp_path / "events").rglob("*.parquet"))
    dirs = {p.parent.relative_to(tmp_path / "events").parts for p in files}
    assert ("channel=email", "kind=open", "dt=2026-01-01") in dirs
    assert ("channel=sms", "kind=text_successful", "dt=2026-01-02") in dirs
    metadata = pq.ParquetFile(files[0]).metadata
    assert metadata.row_group(0).column(0).compression == "GZIP"
    assert b"ARROW:schema" not in (metadata.metadata or {}), "Firehose writes no Arrow schema into footers"
    assert open_lake(tmp_path).execute("SELECT count(*) FROM all_events").fetchall() == [(300,)]


def test_rejected_records_land_under_errors_with_original_bytes(tmp_path):
    request = {"records": [{"recordId": "1", "approximateArrivalTimestamp": 0,
                            "data": base64.b64encode(b"not json").decode()}]}
    ok, failed = transform([request])
    assert (ok, failed) == ([], [b"not json"])
    assert write_errors(failed, tmp_path).read_bytes() == b"not json\n"

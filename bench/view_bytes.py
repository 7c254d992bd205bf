"""Bytes read by a one-day, one-type view query: the partitioned Parquet lake vs time-prefixed GZIP JSON.

    python bench/view_bytes.py [--events-per-day 1000000] [--view email_open] [--interval 300] [--smoke]

The baseline is what a user gets without this pipeline, and what the seed's raw data looked like: Firehose writing
the SOURCE records as GZIP JSON under YYYY/MM/DD/HH/, one file per buffer flush. Athena has to read (and bill)
every byte of the day's files for any query of that day. The lake is what the stack writes: the real transform's
output, Parquet (GZIP pages) under channel=/kind=/dt=, one file per partition per buffer flush, as Firehose's
dynamic partitioning writes it. Both simulate Firehose's buffering on the same traffic (the buffer interval of
the stack's config; 64 MB is never reached at this volume), one file per (partition, interval window).

Bytes read: for GZIP JSON, every byte of the day's files, which is what Athena reads and bills (GZIP does not
split). For the lake, two figures: the process's rchar delta (/proc/self/io) around the view query on DuckDB (warm
page cache; DuckDB reads parts of small files twice), and what a range-reading engine such as Athena fetches from
the files partition pruning leaves: each footer and the column chunks of the columns the view reads. Bytes needed:
the columns the view reads, for exactly the rows it returns, as one Parquet file of the same compression.
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")

import sqlglot  # noqa: E402
from sqlglot import exp  # noqa: E402

from components.events_database.views import read_view_sql  # noqa: E402
from contracts.events import COLUMN_NAMES, PARTITION_KEYS  # noqa: E402
from tools.local_lake import open_lake, to_duckdb, transform, write_events  # noqa: E402
from tools.sample_events import firehose_batches, generate_events  # noqa: E402

DAY = "2026-01-01"


def rchar() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise RuntimeError("no rchar in /proc/self/io")


def measure(con, sql: str, params: list | None = None) -> tuple[int, int]:
    con.execute(sql, params or []).fetchall()  # warm-up (page cache, metadata)
    before = rchar()
    rows = con.execute(sql, params or []).fetchall()
    return len(rows), rchar() - before


def arrival_ms(event: dict) -> int:
    """When Firehose received the record: a moment after the event (SES, SMS, app) or SNS's publish time."""
    from contracts.events import any_time_to_ms

    when = event.get("eventTimestamp") or event.get("event_timestamp") or event.get("Timestamp")
    if when is None:
        detail = next((v for k, v in event.items() if k not in ("eventType", "mail") and isinstance(v, dict)), {})
        when = detail.get("timestamp") or event["mail"]["timestamp"]
    return any_time_to_ms(when, "t") + 2_000


def build(work: Path, events_per_day: int, interval_s: int, view_type: str) -> dict:
    events = sorted(generate_events(1, events_per_day, seed=3), key=arrival_ms)
    windows: dict[tuple, list] = defaultdict(list)
    baseline_files = 0
    pending: dict[int, list[bytes]] = defaultdict(list)
    chunk = 20_000
    for start in range(0, len(events), chunk):
        part = events[start:start + chunk]
        lines = [json.dumps(event).encode() + b"\n" for event in part]  # what the producers put on the stream
        with contextlib.redirect_stdout(io.StringIO()):
            ok, failed = transform(firehose_batches(lines, batch_size=500))
        assert not failed, failed[:3]
        for event, line, (keys, record) in zip(part, lines, ok):
            window = arrival_ms(event) // (interval_s * 1000)
            windows[(tuple(keys[k.name] for k in PARTITION_KEYS), window)].append((keys, record))
            pending[window].append(line)
        # flush windows that can receive nothing more (events are in arrival order)
        done = min(arrival_ms(e) for e in events[start + chunk:start + 2 * chunk]) // (interval_s * 1000) \
            if start + chunk < len(events) else None
        for key in [k for k in windows if done is None or k[1] < done]:
            write_events(windows.pop(key), work / "lake", part=f"flush-{key[1]}")
        for window in [w for w in pending if done is None or w < done]:
            hour = time.strftime("%Y/%m/%d/%H", time.gmtime(window * interval_s))
            path = work / "gzip-json" / hour / f"engagement-events-{window}.gz"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(gzip.compress(b"".join(pending.pop(window)), 6))
            baseline_files += 1
    return {"events": len(events), "baseline_files": baseline_files,
            "source_rows": sum(1 for e in events if e.get("eventType") == view_type),
            "lake_files": sum(1 for _ in (work / "lake").rglob("*.parquet"))}


def range_read_bytes(lake: Path, partition: str, columns: list[str]) -> int:
    """What an engine that reads by byte range (Athena/Trino, S3) fetches: each file's footer and tail, and the
    column chunks of the columns the query reads, from the files partition pruning leaves."""
    import pyarrow.parquet as pq

    total = 0
    for path in (lake / "events" / partition).glob("*.parquet"):
        metadata = pq.ParquetFile(path).metadata
        total += metadata.serialized_size + 8
        for group in range(metadata.num_row_groups):
            for index in range(metadata.row_group(group).num_columns):
                chunk = metadata.row_group(group).column(index)
                if chunk.path_in_schema.split(".")[0] in columns:
                    total += chunk.total_compressed_size
    return total


def view_columns_read(view: str) -> list[str]:
    tree = sqlglot.parse_one(read_view_sql(view), read="athena")
    used = {c.name for c in tree.find_all(exp.Column)}
    return [c for c in COLUMN_NAMES if c in used]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events-per-day", type=int, default=1_000_000)
    parser.add_argument("--view", default="email_open")
    parser.add_argument("--interval", type=int, default=None, help="buffer seconds (default: the stack default)")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, a few seconds (make test)")
    args = parser.parse_args(argv)
    if args.interval is None:
        from components.config import EventsDatabaseSettings

        args.interval = EventsDatabaseSettings().buffering_interval_seconds
    per_day = 3_000 if args.smoke else args.events_per_day
    kind = args.view.removeprefix("email_")
    with tempfile.TemporaryDirectory(prefix="view-bytes-") as scratch:
        return measure_all(Path(scratch), args, per_day, kind)


def measure_all(work: Path, args: argparse.Namespace, per_day: int, kind: str) -> dict:
    built = build(work, per_day, args.interval, kind.capitalize())

    lake = open_lake(work / "lake")
    sql = to_duckdb(f"SELECT * FROM ({read_view_sql(args.view)}) AS v WHERE dt = '{DAY}'")
    rows_lake, read_lake = measure(lake, sql)
    gz_files = sorted(str(p) for p in (work / "gzip-json" / DAY.replace("-", "/")).rglob("*.gz"))
    assert rows_lake == built["source_rows"], (rows_lake, built["source_rows"])  # every source Open, once
    needed_path = work / "needed.parquet"
    columns = ", ".join(view_columns_read(args.view))
    lake.execute(f"COPY (SELECT {columns} FROM all_events WHERE channel = 'email' AND kind = '{kind}' "
                 f"AND dt = '{DAY}') TO '{needed_path}' (FORMAT parquet, COMPRESSION gzip)")
    needed = needed_path.stat().st_size
    ranged = range_read_bytes(work / "lake", f"channel=email/kind={kind}/dt={DAY}", view_columns_read(args.view))
    lake_bytes = sum(p.stat().st_size for p in (work / "lake").rglob("*.parquet"))
    json_bytes = sum(Path(p).stat().st_size for p in gz_files)
    # Athena reads each GZIP file of the day's prefix once, whole (GZIP does not split): its stored size.
    result = {**built, "rows": rows_lake, "read_lake": read_lake, "needed": needed, "range_read": ranged,
              "lake_bytes": lake_bytes, "json_bytes": json_bytes, "ratio": json_bytes / max(read_lake, 1),
              "ratio_range_read": json_bytes / max(ranged, 1), "overhead": read_lake / max(needed, 1)}
    print(f"{built['events']:,} events in one day, {args.interval} s buffers; query: {args.view} WHERE dt = "
          f"'{DAY}' -> {rows_lake:,} rows")
    print(f"stored: lake {lake_bytes / 1e6:.1f} MB in {built['lake_files']:,} files; time-prefixed GZIP JSON "
          f"{json_bytes / 1e6:.1f} MB in {built['baseline_files']:,} files")
    print(f"time-prefixed GZIP JSON: read {json_bytes / 1e6:>9.2f} MB  (every byte of the day's files)")
    print(f"partitioned Parquet:     read {read_lake / 1e6:>9.2f} MB by DuckDB (rchar), {ranged / 1e6:.2f} MB by "
          "range reads (footers + the view's column chunks)")
    print(f"bytes needed: {needed / 1e6:.2f} MB (the view's columns of its rows); read/needed "
          f"{result['overhead']:.2f}x (DuckDB), {ranged / max(needed, 1):.2f}x (range reads)")
    print(f"ratio: {result['ratio']:.1f}x fewer bytes read with the lake by DuckDB, "
          f"{result['ratio_range_read']:.1f}x by range reads (target >= 10x)")
    return result


if __name__ == "__main__":
    main()

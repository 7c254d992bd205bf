"""Bytes read by a one-day view query: partitioned Parquet lake vs a flat JSON-lines layout.

    python bench/view_bytes.py [--days 30] [--events-per-day 3000] [--day 2026-01-15] [--view email_open]

Generates events, runs them through the real transform, writes (a) the lake as Firehose would
(events/channel=/dt=/hour=/*.parquet) and (b) the same canonical records as flat JSON lines (no partitions,
what a lake without dynamic partitioning or format conversion holds), then runs the view for one day on
each in DuckDB and measures the process's rchar delta (/proc/self/io) around the query. Target: >= 50x.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")

import duckdb  # noqa: E402

from components.events_database.schema import duckdb_columns  # noqa: E402
from tools.local_lake import open_lake, to_duckdb, transform, write_events  # noqa: E402
from components.events_database.views import read_view_sql  # noqa: E402
from tools.sample_events import firehose_batches, generate_events  # noqa: E402


def rchar() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise RuntimeError("no rchar in /proc/self/io")


def measure(con, sql: str) -> tuple[int, int, float]:
    con.execute(sql).fetchall()  # warm-up (page cache, metadata)
    before, start = rchar(), time.perf_counter()
    rows = con.execute(sql).fetchall()
    return len(rows), rchar() - before, time.perf_counter() - start


def flat_json_connection(path: Path):
    con = duckdb.connect()
    con.execute("SET integer_division = true")
    con.execute("SET TimeZone = 'UTC'")
    columns = ", ".join(f"'{k}': '{v}'" for k, v in duckdb_columns(include_partitions=True).items())
    con.execute(f"CREATE VIEW all_events AS SELECT * FROM read_json('{path}', format = 'newline_delimited', "
                f"columns = {{{columns}}})")
    return con


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--events-per-day", type=int, default=3000)
    parser.add_argument("--day", default="2026-01-15")
    parser.add_argument("--view", default="email_open")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: checks the script runs")
    args = parser.parse_args()
    if args.smoke:
        args.days, args.events_per_day, args.day = 2, 200, "2026-01-01"
    work = Path(tempfile.mkdtemp(prefix="view-bytes-"))
    with contextlib.redirect_stdout(io.StringIO()):
        ok, failed = transform(firehose_batches(generate_events(args.days, args.events_per_day)))
    write_events(ok, work / "lake")
    flat = work / "flat" / "events.jsonl"
    flat.parent.mkdir(parents=True)
    with flat.open("w") as out:
        for keys, record in ok:
            out.write(json.dumps({**record, **keys}) + "\n")

    sql = to_duckdb(f"SELECT * FROM ({read_view_sql(args.view)}) AS v WHERE dt = '{args.day}'")
    lake_bytes = sum(p.stat().st_size for p in (work / "lake").rglob("*.parquet"))
    rows_p, read_p, secs_p = measure(open_lake(work / "lake"), sql)
    rows_j, read_j, secs_j = measure(flat_json_connection(flat), sql)
    assert rows_p == rows_j, (rows_p, rows_j)
    print(f"{len(ok)} events over {args.days} days; query: {args.view} WHERE dt = '{args.day}' -> {rows_p} rows")
    print(f"stored: parquet lake {lake_bytes / 1e6:.1f} MB, flat JSON lines {flat.stat().st_size / 1e6:.1f} MB")
    print(f"partitioned Parquet: read {read_p / 1e3:>10,.1f} kB in {secs_p * 1000:.0f} ms")
    print(f"flat JSON lines:     read {read_j / 1e3:>10,.1f} kB in {secs_j * 1000:.0f} ms")
    print(f"ratio: {read_j / max(read_p, 1):.0f}x fewer bytes read with the partitioned lake (target >= 50x)")


if __name__ == "__main__":
    main()

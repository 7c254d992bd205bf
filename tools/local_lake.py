"""A local copy of the events lake: generated events -> the REAL transform handler -> partitioned Parquet.

    python -m tools.local_lake --days 7 --out out/demo-lake      (what `make demo` runs)

Writes `events/channel=../dt=../hour=../part-00000.parquet` exactly as Firehose dynamic partitioning would
(data columns from schema.arrow_schema(); channel/dt/hour only in the path), and the records the transform
rejected under `errors/processing-failed/`. Then runs a few of the Athena views on DuckDB.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from components.events_database.schema import PARTITION_KEYS, TABLE_NAME, arrow_schema
from components.events_database.views import read_view_sql
from tools.lambda_context import LocalLambdaContext
from tools.sample_events import firehose_batches, generate_events

DEMO_VIEWS = ("campaign_funnel", "sms_spend_by_country", "email_hardbounce")


def transform(requests: Iterable[dict]) -> tuple[list[tuple[dict, dict]], list[bytes]]:
    """Runs Firehose requests through the handler: ([(partition keys, record)], [original failed bytes])."""
    # Imported here so a CLI run can quiet Powertools (see main) before the handler module creates it.
    from functions.events_transform.handler import lambda_handler

    ok: list[tuple[dict, dict]] = []
    failed: list[bytes] = []
    for request in requests:
        for out in lambda_handler(request, LocalLambdaContext("events-transform-local", memory_limit_in_mb=512,
                                                                        remaining_millis=300_000))["records"]:
            if out["result"] == "Ok":
                ok.append((out["metadata"]["partitionKeys"], json.loads(base64.b64decode(out["data"]))))
            else:
                failed.append(_original_bytes(out["data"]))
    return ok, failed


def _original_bytes(data: str) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except ValueError:
        return data.encode()  # not even base64: keep what Firehose had


def write_events(records: Iterable[tuple[dict, dict]], out: Path, part: str = "part-00000") -> list[Path]:
    """Canonical records -> one Parquet file per partition, in Firehose's dynamic-partitioning layout."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for keys, record in records:
        groups[tuple(keys[k.name] for k in PARTITION_KEYS)].append(record)
    schema = arrow_schema()
    paths = []
    for values, rows in sorted(groups.items()):
        folder = out.joinpath("events", *(f"{k.name}={v}" for k, v in zip(PARTITION_KEYS, values)))
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{part}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, compression="zstd")
        paths.append(path)
    return paths


def write_errors(failed: list[bytes], out: Path) -> Path | None:
    if not failed:
        return None
    path = out / "errors" / "processing-failed" / "part-00000.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(f if f.endswith(b"\n") else f + b"\n" for f in failed))
    return path


def open_lake(lake: Path):
    """DuckDB connection where `all_events` reads the lake like Athena does (partitions as strings)."""
    import duckdb

    con = duckdb.connect()
    con.execute("SET integer_division = true")  # Athena: bigint / bigint is bigint
    con.execute("SET TimeZone = 'UTC'")  # Athena sessions are UTC; timestamp casts must agree
    types = ", ".join(f"'{k.name}': 'VARCHAR'" for k in PARTITION_KEYS)
    pattern = str(lake / "events" / "*" / "*" / "*" / "*.parquet")
    con.execute(f"CREATE VIEW {TABLE_NAME} AS SELECT * FROM read_parquet('{pattern}', "
                f"hive_partitioning = true, hive_types = {{{types}}})")
    return con


def to_duckdb(athena_sql: str) -> str:
    import sqlglot

    return sqlglot.transpile(athena_sql, read="athena", write="duckdb")[0]


def query_view(con, name: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    cursor = con.execute(to_duckdb(read_view_sql(name)))
    columns = [d[0] for d in cursor.description]
    return columns, cursor.fetchall()


def build(days: int, events_per_day: int, out: Path, seed: int = 7) -> tuple[int, int]:
    events = generate_events(days, events_per_day, seed)
    ok, failed = transform(firehose_batches(events))
    write_events(ok, out)
    write_errors(failed, out)
    return len(ok), len(failed)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--events-per-day", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=Path("out/demo-lake"))
    args = parser.parse_args(argv)
    # A local run needs neither X-Ray nor CloudWatch metrics, and one warning line per bad record is noise.
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")
    ok, failed = build(args.days, args.events_per_day, args.out, args.seed)
    print(f"{ok} canonical records written under {args.out / 'events'}, {failed} under {args.out / 'errors'}")
    con = open_lake(args.out)
    for name in DEMO_VIEWS:
        columns, rows = query_view(con, name)
        print(f"\n== {name} ({len(rows)} rows, first 5)")
        print(" | ".join(columns))
        for row in rows[:5]:
            print(" | ".join("" if v is None else str(v) for v in row))


if __name__ == "__main__":
    main()

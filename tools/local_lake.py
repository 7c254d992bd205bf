"""A local copy of the events lake: Firehose requests -> the REAL transform handler -> partitioned Parquet.

Writes `events/channel=../kind=../dt=../<part>.parquet` exactly as Firehose dynamic partitioning and Parquet
conversion would (data columns from the contract's arrow_schema(), GZIP pages as the stream is configured,
partition keys only in the path), and the records the transform rejected, byte for byte, under
`errors/processing-failed/`. `make demo` (tools/events_demo.py) builds one from every producer.
"""
from __future__ import annotations

import base64
import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from components.events_database.views import read_view_sql
from contracts.events import PARTITION_KEYS, TABLE_NAME, arrow_schema
from tools.lambda_context import LocalLambdaContext

PARQUET_COMPRESSION = "gzip"  # components/events_database/delivery.py PARQUET_COMPRESSION


def transform_outputs(requests: Iterable[dict]) -> list[dict]:
    """Every Firehose request through the handler; the outputs, in order (recordId, result, data, metadata)."""
    # Imported here so a CLI run can quiet Powertools (see events_demo.main) before the handler module loads.
    from functions.events_transform.handler import lambda_handler

    context = LocalLambdaContext("events-transform-local", memory_limit_in_mb=512, remaining_millis=300_000)
    outputs = []
    for request in requests:
        outputs.extend(lambda_handler(request, context)["records"])
    return outputs


def transform(requests: Iterable[dict]) -> tuple[list[tuple[dict, dict]], list[bytes]]:
    """([(partition keys, record)], [original bytes of each failed record])."""
    ok: list[tuple[dict, dict]] = []
    failed: list[bytes] = []
    for out in transform_outputs(requests):
        if out["result"] == "Ok":
            ok.append((out["metadata"]["partitionKeys"], json.loads(base64.b64decode(out["data"]))))
        else:
            failed.append(original_bytes(out["data"]))
    return ok, failed


def original_bytes(data: str) -> bytes:
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
        # store_schema=False: Firehose's Hive Parquet writer puts no Arrow schema in the footer either.
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), path, compression=PARQUET_COMPRESSION,
                       store_schema=False)
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
    pattern = str(lake / "events" / "/".join("*" for _ in PARTITION_KEYS) / "*.parquet")
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

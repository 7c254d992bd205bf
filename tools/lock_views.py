"""Regenerates the views' column lock (contracts/events/views.lock.json): each view's output columns (Hive + Presto types) and sha256.

    python -m tools.lock_views            # rewrite the lock file
    python -m tools.lock_views --check    # exit 1 if it is out of date (CI)

Each view is transpiled Athena -> DuckDB and run (LIMIT 0) over an empty `all_events` built from
the contract's EVENT_COLUMNS + PARTITION_KEYS; DuckDB's result types are then spelled in Hive and Presto.
"""
from __future__ import annotations

import argparse
import json
import sys

from contracts.events import TABLE_NAME, duckdb_columns
from components.events_database.views import LOCK_FILE, read_view_sql, sql_sha256, view_names


def empty_events_connection():
    import duckdb

    con = duckdb.connect()
    con.execute("SET integer_division = true")
    con.execute("SET TimeZone = 'UTC'")
    cols = ", ".join(f'"{name}" {duck}' for name, duck in duckdb_columns(include_partitions=True).items())
    con.execute(f"CREATE TABLE {TABLE_NAME} ({cols})")
    return con


def spell_types(duckdb_type: str) -> tuple[str, str]:
    """(hive, presto) spelling of a DuckDB result type, through sqlglot's type model."""
    from sqlglot import exp

    data_type = exp.DataType.build(duckdb_type, dialect="duckdb")
    _normalise(data_type)
    hive = data_type.sql("hive").lower().replace(", ", ",").replace(": ", ":")  # Glue spells it compactly
    return hive, data_type.sql("presto").lower()


def _normalise(data_type) -> None:
    from sqlglot import exp

    for node in data_type.walk():
        if isinstance(node, exp.DataType):
            if node.this in (exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMP_MS,
                             exp.DataType.Type.TIMESTAMP_NS, exp.DataType.Type.TIMESTAMP_S):
                node.set("this", exp.DataType.Type.TIMESTAMP)
            elif node.this == exp.DataType.Type.INT128:  # DuckDB's sum(bigint); Athena returns bigint
                node.set("this", exp.DataType.Type.BIGINT)


def view_columns(con, athena_sql: str) -> list[dict[str, str]]:
    import sqlglot

    duck_sql = sqlglot.transpile(athena_sql, read="athena", write="duckdb")[0]
    relation = con.sql(f"SELECT * FROM ({duck_sql}) AS v LIMIT 0")
    columns = []
    for name, dtype in zip(relation.columns, relation.types):
        hive, presto = spell_types(str(dtype))
        columns.append({"name": name, "hive_type": hive, "presto_type": presto})
    return columns


def build_lock() -> dict:
    con = empty_events_connection()
    views = {}
    for name in view_names():
        sql = read_view_sql(name)
        views[name] = {"sha256": sql_sha256(sql), "columns": view_columns(con, sql)}
    return {"generated_by": "python -m tools.lock_views", "views": views}


def render(lock: dict) -> str:
    return json.dumps(lock, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the lock file is out of date")
    args = parser.parse_args(argv)
    text = render(build_lock())
    if args.check:
        current = LOCK_FILE.read_text(encoding="utf-8") if LOCK_FILE.exists() else ""
        if current != text:
            print(f"{LOCK_FILE} is out of date: run `python -m tools.lock_views`", file=sys.stderr)
            return 1
        print(f"{LOCK_FILE.name} is up to date")
        return 0
    LOCK_FILE.write_text(text, encoding="utf-8")
    print(f"wrote {LOCK_FILE} ({len(json.loads(text)['views'])} views)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

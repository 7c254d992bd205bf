"""The view lock tool: DuckDB result types spelled for Glue (Hive) and Athena (Presto)."""
from __future__ import annotations

import pytest

from tools.lock_views import empty_events_connection, main, spell_types, view_columns


@pytest.mark.parametrize(("duck", "hive", "presto"), [
    ("VARCHAR", "string", "varchar"),
    ("BIGINT", "bigint", "bigint"),
    ("HUGEINT", "bigint", "bigint"),
    ("TIMESTAMP WITH TIME ZONE", "timestamp", "timestamp"),
    ("VARCHAR[]", "array<string>", "array(varchar)"),
    ("MAP(VARCHAR, DOUBLE)", "map<string,double>", "map(varchar, double)"),
    ("STRUCT(a VARCHAR, b INTEGER)[]", "array<struct<a:string,b:int>>", "array(row(a varchar, b integer))"),
])
def test_duckdb_types_are_spelled_for_glue_and_athena(duck, hive, presto):
    assert spell_types(duck) == (hive, presto)


def test_view_columns_come_from_running_the_sql():
    con = empty_events_connection()
    columns = view_columns(con, "SELECT event_id, cardinality(recipients) AS n, tags FROM all_events")
    assert columns == [{"name": "event_id", "hive_type": "string", "presto_type": "varchar"},
                       {"name": "n", "hive_type": "bigint", "presto_type": "bigint"},
                       {"name": "tags", "hive_type": "map<string,string>", "presto_type": "map(varchar, varchar)"}]


def test_check_mode_passes_on_the_committed_lock():
    assert main(["--check"]) == 0

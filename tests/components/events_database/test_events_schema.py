"""The canonical table definition: types parse everywhere, partitions, projection and prefixes agree."""
from __future__ import annotations

import re

import pytest
from sqlglot import exp

from components.events_database import schema
from functions.events_transform.canonical import CHANNELS, DATA_COLUMNS


@pytest.mark.parametrize("column", schema.EVENT_COLUMNS + schema.PARTITION_KEYS, ids=lambda c: c.name)
def test_every_column_type_parses_as_hive_and_in_duckdb(column):
    # Given a column's Glue/Hive type
    # Then sqlglot reads it as Hive, our parser reads it, and DuckDB accepts our DuckDB spelling
    assert isinstance(exp.DataType.build(column.hive_type, dialect="hive"), exp.DataType)
    schema.parse_hive_type(column.hive_type)
    import duckdb
    duckdb.connect().execute(f"CREATE TABLE t (c {schema.duckdb_type(column.hive_type)})")


def test_lambda_and_table_agree_on_columns_and_channels():
    # The Lambda archive cannot import the component, so it repeats the lists; they must not drift.
    assert DATA_COLUMNS == schema.COLUMN_NAMES
    assert CHANNELS == set(schema.CHANNELS)


def test_no_partition_key_repeats_a_data_column():
    # Glue rejects a table whose partition key has a data column's name
    assert not {k.name for k in schema.PARTITION_KEYS} & set(schema.COLUMN_NAMES)


def test_metrics_and_tags_are_maps_not_the_seeds_struct():
    types = {c.name: c.hive_type for c in schema.EVENT_COLUMNS}
    assert types["metrics"] == "map<string,double>"
    assert types["tags"] == "map<string,string>"


def test_partition_projection_covers_every_partition_key():
    params = schema.partition_projection_parameters("lake-bucket")
    assert params["projection.enabled"] == "true"
    assert params["projection.channel.values"].split(",") == list(schema.CHANNELS)
    assert (params["projection.dt.type"], params["projection.dt.format"], params["projection.dt.range"]) == (
        "date", "yyyy-MM-dd", "2015-01-01,NOW")
    assert (params["projection.hour.range"], params["projection.hour.digits"]) == ("0,23", "2")
    assert params["storage.location.template"] == (
        "s3://lake-bucket/events/channel=${channel}/dt=${dt}/hour=${hour}/")
    assert params["classification"] == "parquet"


def test_firehose_prefix_writes_where_projection_reads():
    # Given the projection template with the Firehose placeholders substituted the same way
    template = schema.partition_projection_parameters("b")["storage.location.template"]
    firehose = schema.firehose_prefix()
    assert firehose == ("events/channel=!{partitionKeyFromLambda:channel}/dt=!{partitionKeyFromLambda:dt}/"
                        "hour=!{partitionKeyFromLambda:hour}/")
    # Then both name the same keys in the same order
    assert re.findall(r"\$\{(\w+)\}", template) == re.findall(r"partitionKeyFromLambda:(\w+)", firehose)
    assert schema.error_output_prefix().startswith("errors/")


def test_arrow_schema_matches_the_columns():
    arrow = schema.arrow_schema()
    assert arrow.names == list(schema.COLUMN_NAMES)
    assert str(arrow.field("recipients").type.value_type) == (
        "struct<address: string, status: string, action: string, diagnostic_code: string>")
    assert schema.arrow_schema(include_partitions=True).names[-3:] == ["channel", "dt", "hour"]


def test_presto_spelling_of_nested_types():
    assert schema.presto_type("array<struct<a:string,b:bigint>>") == "array(row(a varchar, b bigint))"
    assert schema.presto_type("map<string,double>") == "map(varchar, double)"


@pytest.mark.parametrize("bad", ["strin", "array<string", "map<string>", "struct<:string>", "array<string>>"])
def test_malformed_hive_types_are_rejected(bad):
    with pytest.raises(ValueError):
        schema.parse_hive_type(bad)


def test_component_modules_import_without_pulumi_pyarrow_or_sqlglot(repo_root):
    # The component imports schema.py/views.py at deploy time, where only the program's requirements exist
    import subprocess
    import sys

    code = ("import sys, components.events_database.schema, components.events_database.views; "
            "print(sorted(m for m in ('pulumi', 'pyarrow', 'sqlglot', 'duckdb') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"

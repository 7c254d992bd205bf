"""The canonical table: types parse everywhere; record, partitions, projection and Firehose prefixes agree."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from sqlglot import exp

from contracts import events
from contracts.events import table


@pytest.mark.parametrize("column", events.EVENT_COLUMNS + events.PARTITION_KEYS, ids=lambda c: c.name)
def test_every_column_type_parses_as_hive_and_in_duckdb(column):
    import duckdb

    assert isinstance(exp.DataType.build(column.hive_type, dialect="hive"), exp.DataType)
    events.parse_hive_type(column.hive_type)
    duckdb.connect().execute(f"CREATE TABLE t (c {events.duckdb_type(column.hive_type)})")


def test_canonical_record_has_every_column_in_table_order():
    # The transform writes canonical_record's dicts; Firehose maps JSON keys onto the Glue columns by name
    record = events.canonical_record(event_id="e", event_source="ses", event_type="send", event_timestamp=1,
                                     arrival_timestamp=2)
    assert tuple(record) == events.COLUMN_NAMES
    assert (record["tags"], record["recipients"], record["raw_event"]) == ({}, [], None)


def test_empty_record_is_canonical_record_with_nulls():
    # The transform fills empty_record() by assignment: same columns, same order, fresh arrays and maps each time
    first, second = events.empty_record(), events.empty_record()
    assert tuple(first) == events.COLUMN_NAMES
    assert first == {**events.canonical_record(event_id=None, event_source=None, event_type=None,
                                               event_timestamp=None, arrival_timestamp=None)}
    first["tags"]["a"] = "b"
    first["recipients"].append({})
    assert second["tags"] == {} and second["recipients"] == [] and events.empty_record()["tags"] == {}


def test_no_partition_key_repeats_a_data_column():
    # Glue rejects a table whose partition key has a data column's name
    assert not {k.name for k in events.PARTITION_KEYS} & set(events.COLUMN_NAMES)


def test_typed_columns_replace_strings_in_channel_data():
    types = {c.name: c.hive_type for c in events.EVENT_COLUMNS}
    assert (types["is_final"], types["send_timestamp"], types["expiration_timestamp"]) == (
        "boolean", "bigint", "bigint")
    assert types["metrics"] == "map<string,double>" and types["tags"] == "map<string,string>"


def test_partition_projection_covers_every_partition_key_and_kind():
    params = events.partition_projection_parameters("lake-bucket")
    assert params["projection.enabled"] == "true"
    assert params["projection.channel.values"].split(",") == list(events.CHANNELS)
    assert params["projection.kind.values"].split(",") == list(events.KINDS)
    assert (params["projection.dt.type"], params["projection.dt.format"], params["projection.dt.range"]) == (
        "date", "yyyy-MM-dd", "2015-01-01,NOW+1DAYS")
    assert params["storage.location.template"] == (
        "s3://lake-bucket/events/channel=${channel}/kind=${kind}/dt=${dt}/")


def test_firehose_prefix_writes_where_projection_reads():
    template = events.partition_projection_parameters("b")["storage.location.template"]
    firehose = events.firehose_prefix()
    assert re.findall(r"\$\{(\w+)\}", template) == re.findall(r"partitionKeyFromLambda:(\w+)", firehose)
    assert events.error_output_prefix().startswith("errors/")


def test_partition_keys_use_the_event_day_and_a_known_kind():
    assert events.partition_keys("email", "open", 1_501_893_662_669) == {
        "channel": "email", "kind": "open", "dt": "2017-08-05"}
    assert events.partition_keys("custom", "checkout.completed", 946_684_800_000)["kind"] == "other"
    assert events.partition_keys("sms", "text_inbound", 86_399_999)["dt"] == "1970-01-01"


def test_partition_prefix_is_where_the_lake_writes_one_kind(tmp_path):
    from tools.local_lake import write_events

    keys = events.partition_keys("email", "delivery", 1_501_893_662_669)
    record = events.canonical_record(event_id="e", event_source="ses", event_type="delivery",
                                     event_timestamp=1_501_893_662_669, arrival_timestamp=1_501_893_662_669)
    [path] = write_events([(keys, record)], tmp_path)
    assert path.relative_to(tmp_path).as_posix().startswith(events.partition_prefix("email", "delivery") + "dt=2017-08-05/")


def test_every_kind_is_a_safe_s3_path_segment():
    assert all(re.fullmatch(r"[a-z0-9_.]+", k) for k in events.KINDS)
    assert len(set(events.KINDS)) == len(events.KINDS)


def test_arrow_schema_matches_the_columns():
    arrow = events.arrow_schema()
    assert arrow.names == list(events.COLUMN_NAMES)
    assert str(arrow.field("recipients").type.value_type) == (
        "struct<address: string, status: string, action: string, diagnostic_code: string>")
    assert events.arrow_schema(include_partitions=True).names[-3:] == ["channel", "kind", "dt"]


def test_presto_spelling_of_nested_types():
    assert events.presto_type("array<struct<a:string,b:bigint>>") == "array(row(a varchar, b bigint))"
    assert events.presto_type("map<string,double>") == "map(varchar, double)"


@pytest.mark.parametrize("bad", ["strin", "array<string", "map<string>", "struct<:string>", "array<string>>"])
def test_malformed_hive_types_are_rejected(bad):
    with pytest.raises(ValueError):
        events.parse_hive_type(bad)


def test_contract_imports_without_pulumi_pyarrow_or_sqlglot(repo_root):
    # The Lambda bundles the contract without pyarrow; the component imports it at deploy time
    code = ("import sys, contracts.events, components.events_database.schema, components.events_database.views; "
            "print(sorted(m for m in ('pulumi', 'pyarrow', 'sqlglot', 'duckdb') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=repo_root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_component_schema_module_repeats_nothing():
    # components/events_database/schema.py only re-exports the contract
    from components.events_database import schema

    assert schema.EVENT_COLUMNS is table.EVENT_COLUMNS and schema.TABLE_NAME == "all_events"

"""The one definition of the canonical cross-channel event table (`all_events`).

Everything that needs the table's shape reads it from here: the Pulumi component (Glue table columns,
partition projection, Firehose prefixes), the transform Lambda's tests, the local lake, the view lock tool.
This module is pure Python on purpose: the component imports it without pyarrow or sqlglot, so the helpers
that need those import them lazily.

Partitioning: `channel`, `dt` (yyyy-MM-dd of the EVENT time, UTC) and `hour` (00-23). `channel` is a
partition key and NOT a data column: Glue rejects a table whose partition key repeats a column name, and
keeping it as the key means every channel-scoped view (`WHERE channel = 'email'`) prunes to that channel's
files. The transform therefore emits channel/dt/hour only in the Firehose record metadata; Athena (and
DuckDB with hive partitioning) exposes them as columns from the S3 path.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

TABLE_NAME = "all_events"
EVENTS_PREFIX = "events/"
ERRORS_PREFIX = "errors/"

EVENT_SOURCES = ("ses", "sms_voice", "app", "preference_center", "pinpoint_legacy")
CHANNELS = ("email", "sms", "voice", "custom")


@dataclass(frozen=True)
class Column:
    name: str
    hive_type: str
    comment: str = ""


RECIPIENT_TYPE = "struct<address:string,status:string,action:string,diagnostic_code:string>"

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("event_id", "string", "sha256 of source + source identity; replays of one event share it"),
    Column("event_source", "string", "ses | sms_voice | app | preference_center | pinpoint_legacy"),
    Column("event_type", "string", "lower_snake: send, bounce, open, text_delivered, voice_completed, ..."),
    Column("status", "string", "normalised outcome, e.g. permanent, delivered, opted_out"),
    Column("status_code", "string", "source status code (SMTP enhanced status, SMS status code)"),
    Column("status_message", "string", "human-readable status from the source"),
    Column("sending_address", "string", "From address or origination phone number"),
    Column("destination_addresses", "array<string>", "all addresses the message was sent to"),
    Column("recipients", f"array<{RECIPIENT_TYPE}>", "per-recipient detail of bounce/complaint/delivery"),
    Column("message_id", "string", "SES message id, SMS message id, or app message id"),
    Column("user_id", "string", "from the user_id tag/context/attribute when the sender set one"),
    Column("campaign_id", "string", "from the campaign tag/context/attribute when the sender set one"),
    Column("account_id", "string", "AWS account that sent the message"),
    Column("configuration_set", "string", "SES or SMS configuration set"),
    Column("country_code", "string", "ISO country code of the destination (SMS/voice)"),
    Column("event_timestamp", "bigint", "epoch ms when the event happened"),
    Column("arrival_timestamp", "bigint", "epoch ms when the transform saw the record"),
    Column("tags", "map<string,string>", "message tags; several values of one SES tag joined with ','"),
    Column("metrics", "map<string,double>", "numeric facts: price_usd, message_parts, custom app metrics"),
    Column("channel_data", "map<string,string>", "channel-specific fields (bounce_type, link, subject ...)"),
    Column("raw_event", "string", "the source record, verbatim JSON"),
)

PARTITION_KEYS: tuple[Column, ...] = (
    Column("channel", "string", "email | sms | voice | custom"),
    Column("dt", "string", "yyyy-MM-dd of event_timestamp, UTC"),
    Column("hour", "string", "00-23 of event_timestamp, UTC"),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in EVENT_COLUMNS)


def partition_projection_parameters(bucket_name: str) -> dict[str, str]:
    """Glue table parameters for Athena partition projection: new partitions are queryable at once,
    with no crawler, no MSCK and no per-file partition Lambda (the seed's design)."""
    return {
        "classification": "parquet",
        "parquet.compression": "SNAPPY",
        "projection.enabled": "true",
        "projection.channel.type": "enum",
        "projection.channel.values": ",".join(CHANNELS),
        "projection.dt.type": "date",
        "projection.dt.format": "yyyy-MM-dd",
        "projection.dt.range": "2015-01-01,NOW",
        "projection.dt.interval": "1",
        "projection.dt.interval.unit": "DAYS",
        "projection.hour.type": "integer",
        "projection.hour.range": "0,23",
        "projection.hour.digits": "2",
        "storage.location.template": (
            f"s3://{bucket_name}/{EVENTS_PREFIX}channel=${{channel}}/dt=${{dt}}/hour=${{hour}}/"
        ),
    }


def firehose_prefix() -> str:
    """S3 prefix for Firehose dynamic partitioning; the keys come from the transform's metadata."""
    keys = "/".join(f"{c.name}=!{{partitionKeyFromLambda:{c.name}}}" for c in PARTITION_KEYS)
    return f"{EVENTS_PREFIX}{keys}/"


def error_output_prefix() -> str:
    """Failed records (ProcessingFailed from the transform, or format-conversion failures) land here,
    split by Firehose's error type so a bad transform and a bad schema are told apart."""
    return f"{ERRORS_PREFIX}!{{firehose:error-output-type}}/dt=!{{timestamp:yyyy-MM-dd}}/"


# --- a small Hive type parser, so the helpers below need no third-party package ------------------------

HiveType = tuple  # ("string",) | ("array", elem) | ("map", key, value) | ("struct", ((name, type), ...))


def parse_hive_type(text: str) -> HiveType:
    """Parse Glue/Hive type syntax (`array<struct<a:string>>`) into a nested tuple; raises ValueError."""
    tree, rest = _parse(text.replace(" ", "").lower())
    if rest:
        raise ValueError(f"trailing text {rest!r} in hive type {text!r}")
    return tree


_PRIMITIVES = {"string", "bigint", "int", "smallint", "tinyint", "double", "float", "boolean", "date",
               "timestamp", "binary"}


def _parse(s: str) -> tuple[HiveType, str]:
    for head in ("array<", "map<", "struct<"):
        if s.startswith(head):
            return _parse_complex(head[:-1], s[len(head):])
    match = re.match(r"[a-z_0-9]+(\(\d+(,\d+)?\))?", s)
    name = match.group(0) if match else ""
    s = s[len(name):]
    if name in _PRIMITIVES or name.startswith(("decimal", "varchar", "char")):
        return (name,), s
    raise ValueError(f"unknown hive type {name!r}")


def _parse_complex(kind: str, s: str) -> tuple[HiveType, str]:
    if kind == "array":
        elem, s = _parse(s)
        return ("array", elem), _expect(s, ">")
    if kind == "map":
        key, s = _parse(s)
        value, s = _parse(_expect(s, ","))
        return ("map", key, value), _expect(s, ">")
    fields = []
    while True:
        name, _, s = s.partition(":")
        if not name or not (name.replace("_", "").isalnum()):
            raise ValueError(f"bad struct field name {name!r}")
        ftype, s = _parse(s)
        fields.append((name, ftype))
        if s.startswith(","):
            s = s[1:]
            continue
        return ("struct", tuple(fields)), _expect(s, ">")


def _expect(s: str, token: str) -> str:
    if not s.startswith(token):
        raise ValueError(f"expected {token!r} at {s[:20]!r}")
    return s[len(token):]


_PRESTO = {"string": "varchar", "int": "integer", "float": "real", "binary": "varbinary"}


def presto_type(hive_type: str) -> str:
    """Presto/Trino spelling of a Hive type, as Athena writes it in a Glue view's column list."""
    return _presto(parse_hive_type(hive_type))


def _presto(t: HiveType) -> str:
    if t[0] == "array":
        return f"array({_presto(t[1])})"
    if t[0] == "map":
        return f"map({_presto(t[1])}, {_presto(t[2])})"
    if t[0] == "struct":
        return "row(" + ", ".join(f"{n} {_presto(ft)}" for n, ft in t[1]) + ")"
    return _PRESTO.get(t[0], t[0])


def duckdb_type(hive_type: str) -> str:
    t = parse_hive_type(hive_type)
    return _duck(t)


_DUCK = {"string": "VARCHAR", "bigint": "BIGINT", "int": "INTEGER", "smallint": "SMALLINT",
         "tinyint": "TINYINT", "double": "DOUBLE", "float": "FLOAT", "boolean": "BOOLEAN", "date": "DATE",
         "timestamp": "TIMESTAMP", "binary": "BLOB"}


def _duck(t: HiveType) -> str:
    if t[0] == "array":
        return f"{_duck(t[1])}[]"
    if t[0] == "map":
        return f"MAP({_duck(t[1])}, {_duck(t[2])})"
    if t[0] == "struct":
        return "STRUCT(" + ", ".join(f'"{n}" {_duck(ft)}' for n, ft in t[1]) + ")"
    return _DUCK.get(t[0], t[0].upper())


def duckdb_columns(include_partitions: bool = False) -> dict[str, str]:
    """DuckDB type per column (for `read_json(columns=...)` and empty tables in tests and tools)."""
    cols = EVENT_COLUMNS + (PARTITION_KEYS if include_partitions else ())
    return {c.name: duckdb_type(c.hive_type) for c in cols}


def arrow_schema(include_partitions: bool = False):
    """pyarrow schema of the Parquet files Firehose writes (data columns; partitions live in the path)."""
    import pyarrow as pa  # lazily: the Pulumi component imports this module without pyarrow

    def to_arrow(t: HiveType):
        if t[0] == "array":
            return pa.list_(to_arrow(t[1]))
        if t[0] == "map":
            return pa.map_(to_arrow(t[1]), to_arrow(t[2]))
        if t[0] == "struct":
            return pa.struct([pa.field(n, to_arrow(ft)) for n, ft in t[1]])
        return {"string": pa.string(), "bigint": pa.int64(), "int": pa.int32(), "double": pa.float64(),
                "float": pa.float32(), "boolean": pa.bool_(), "date": pa.date32(),
                "timestamp": pa.timestamp("ms"), "binary": pa.binary()}[t[0]]

    cols = EVENT_COLUMNS + (PARTITION_KEYS if include_partitions else ())
    return pa.schema([pa.field(c.name, to_arrow(parse_hive_type(c.hive_type))) for c in cols])

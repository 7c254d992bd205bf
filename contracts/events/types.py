"""Glue/Hive column types, parsed once and spelled for every engine that reads the events table.

Glue (Hive syntax) is the source: `array<struct<a:string>>`. From it come the Presto/Trino spelling Athena writes
into a Glue view, the DuckDB spelling of the local lake and tests, and the Arrow type of the Parquet files. No
third-party import at module level: Lambdas and the Pulumi program load this module too.
"""
from __future__ import annotations

import re

HiveType = tuple  # ("string",) | ("array", elem) | ("map", key, value) | ("struct", ((name, type), ...))

_PRIMITIVES = {"string", "bigint", "int", "smallint", "tinyint", "double", "float", "boolean", "date",
               "timestamp", "binary"}


def parse_hive_type(text: str) -> HiveType:
    """Parse Glue/Hive type syntax into a nested tuple; raises ValueError on anything malformed."""
    tree, rest = _parse(text.replace(" ", "").lower())
    if rest:
        raise ValueError(f"trailing text {rest!r} in hive type {text!r}")
    return tree


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
_DUCK = {"string": "VARCHAR", "bigint": "BIGINT", "int": "INTEGER", "smallint": "SMALLINT",
         "tinyint": "TINYINT", "double": "DOUBLE", "float": "FLOAT", "boolean": "BOOLEAN", "date": "DATE",
         "timestamp": "TIMESTAMP", "binary": "BLOB"}


def presto_type(hive_type: str) -> str:
    """Presto/Trino spelling of a Hive type, as Athena writes it in a Glue view's column list."""
    def spell(t: HiveType) -> str:
        if t[0] == "array":
            return f"array({spell(t[1])})"
        if t[0] == "map":
            return f"map({spell(t[1])}, {spell(t[2])})"
        if t[0] == "struct":
            return "row(" + ", ".join(f"{n} {spell(ft)}" for n, ft in t[1]) + ")"
        return _PRESTO.get(t[0], t[0])
    return spell(parse_hive_type(hive_type))


def duckdb_type(hive_type: str) -> str:
    def spell(t: HiveType) -> str:
        if t[0] == "array":
            return f"{spell(t[1])}[]"
        if t[0] == "map":
            return f"MAP({spell(t[1])}, {spell(t[2])})"
        if t[0] == "struct":
            return "STRUCT(" + ", ".join(f'"{n}" {spell(ft)}' for n, ft in t[1]) + ")"
        return _DUCK.get(t[0], t[0].upper())
    return spell(parse_hive_type(hive_type))


def arrow_type(hive_type: str):
    """The pyarrow type of a Hive type; pyarrow is imported here, lazily, and only by callers that write Parquet."""
    import pyarrow as pa

    def convert(t: HiveType):
        if t[0] == "array":
            return pa.list_(convert(t[1]))
        if t[0] == "map":
            return pa.map_(convert(t[1]), convert(t[2]))
        if t[0] == "struct":
            return pa.struct([pa.field(n, convert(ft)) for n, ft in t[1]])
        return {"string": pa.string(), "bigint": pa.int64(), "int": pa.int32(), "double": pa.float64(),
                "float": pa.float32(), "boolean": pa.bool_(), "date": pa.date32(),
                "timestamp": pa.timestamp("ms"), "binary": pa.binary()}[t[0]]
    return convert(parse_hive_type(hive_type))

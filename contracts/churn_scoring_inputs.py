"""What the scoring step reads besides batch transform's CSV, and the Athena SQL that writes it.

The run's feature rows (gzip JSON lines with every feature column, seven times the transform CSV) are what batch
transform needs, not what post-processing needs: it needs each customer's id, address and label, and, for drift,
how many customers fall in each training bin of each numeric feature. Once the rows are unloaded, two more Athena
queries read them through the run-features table (a Glue table over `runs/<run_id>/features/`, partition
projection on `run_id`) and unload what scoring reads:

- the companion: `customer_id, address, label` as Parquet, one row per feature row;
- the drift histogram: `feature, bin, customers` as Parquet, a few rows per numeric feature of the model's
  training profile, bins exactly as `contracts.churn_features.psi` defines them (the number of training edges
  <= the value; one past the last bin when the value is missing).

The same SQL runs on Athena and, transpiled by sqlglot, on DuckDB (the local mode, the tests, the fixture).
Pure Python with no third-party imports.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from contracts.churn_features import ADDRESS_COLUMN, ID_COLUMN, LABEL_COLUMN, FeatureSpec

RUN_FEATURES_TABLE = "churn_run_features"
RUN_ID_COLUMN = "run_id"  # the table's partition (projected: `WHERE run_id = '<run>'` names the folder)
COMPANION_COLUMNS = (ID_COLUMN, ADDRESS_COLUMN, LABEL_COLUMN)
HISTOGRAM_COLUMNS = ("feature", "bin", "customers")


def table_columns(spec: FeatureSpec) -> list[tuple[str, str]]:
    """The run-features table's columns and Glue (Hive) types: what the feature query returns, numbers as double."""
    text = {ID_COLUMN, ADDRESS_COLUMN, LABEL_COLUMN, *spec.categorical_features}
    return [(name, "string" if name in text else "double") for name in spec.output_columns]


def drift_features(profile: Mapping[str, Any]) -> list[str]:
    """The numeric features of a training profile, in its order (one-hot columns, `name=value`, are not in the
    feature rows and have no drift of their own)."""
    return [name for name in profile if "=" not in name]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def bin_expression(column: str, edges: Sequence[float]) -> str:
    """The drift bin of `column`: how many edges are <= the value, len(edges) + 1 when it is NULL. Edges are
    written as text cast to DOUBLE (a bare `0.1` is a DECIMAL in Trino) so each is the training double exactly."""
    value = _quoted(column)
    counted = " + ".join(f"(CASE WHEN {value} >= CAST({_literal(repr(float(e)))} AS DOUBLE) THEN 1 ELSE 0 END)"
                         for e in edges) or "0"
    return f"CASE WHEN {value} IS NULL THEN {len(edges) + 1} ELSE {counted} END"


def _run(run_id: str) -> str:
    return f"{RUN_ID_COLUMN} = {_literal(run_id)}"


def companion_query(run_id: str) -> str:
    return f"SELECT {', '.join(COMPANION_COLUMNS)}\nFROM {RUN_FEATURES_TABLE}\nWHERE {_run(run_id)}"


def drift_query(run_id: str, profile: Mapping[str, Mapping[str, Any]]) -> str:
    """Customers per (feature, bin) in one pass over the rows: every row unnests into one bin per feature."""
    names = drift_features(profile)
    if not names:  # a profile without numeric features: the same columns, no rows
        return ("SELECT CAST(NULL AS VARCHAR) AS feature, CAST(NULL AS INTEGER) AS bin, CAST(0 AS BIGINT) AS customers"
                "\nWHERE false")
    bins = ",\n    ".join(bin_expression(n, profile[n]["edges"]) for n in names)
    features = ", ".join(_literal(n) for n in names)
    return (f"SELECT ARRAY[{features}][position] AS feature, bin, customers\nFROM (\n"
            f"  SELECT d.position, d.bin, count(*) AS customers\n  FROM {RUN_FEATURES_TABLE}\n"
            f"  CROSS JOIN UNNEST(ARRAY[\n    {bins}]) WITH ORDINALITY AS d(bin, position)\n"
            f"  WHERE {_run(run_id)}\n  GROUP BY d.position, d.bin\n) counted")


def unload_parquet(sql: str, bucket: str, prefix: str) -> str:
    return f"UNLOAD (\n{sql}\n) TO 's3://{bucket}/{prefix}' WITH (format = 'PARQUET', compression = 'SNAPPY')"

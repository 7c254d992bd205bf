"""The churn feature query on DuckDB: the local lake's views + an attributes file, exactly as Athena sees them.

    con = open_feature_db(Path("out/lake"), Path("customers.csv"), spec)
    rows = feature_rows(con, spec, date(2026, 3, 1))        # [{"customer_id": ..., "label": ..., ...}, ...]

The views are the events database's own .sql files (sql/events/views), created in a schema named like the Glue
database; the attributes table is a view over the CSV (or Parquet) file with the Glue column names, read as text
like Athena's OpenCSVSerde does. The feature SQL is rendered and bound by contracts/churn_features and transpiled
from Athena's dialect by sqlglot, so what runs here is what runs in AWS.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from components.events_database.schema import TABLE_NAME, duckdb_columns
from components.events_database.views import read_view_sql
from contracts import churn_features
from contracts.churn_features import FeatureSpec, FeatureSpecError
from tools.local_lake import open_lake, to_duckdb

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "sql" / "predictive_segmentation" / "features.sql"
VIEWS = ("email_send", "email_delivered", "email_open", "email_click", "email_hardbounce", "email_softbounce",
         "email_complaint", "email_unsubscribe")
EVENTS_DATABASE = "due_eventdb"
ATTRIBUTES_TABLE = "predictive_segmentation.customer_attributes"


def read_header(path: Path) -> list[str]:
    if not path.is_file():
        raise FeatureSpecError(f"attributes file {path} does not exist; pass --attributes with a CSV or Parquet file")
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), None)
    if not header:
        raise FeatureSpecError(f"attributes file {path} is empty; it needs a header row and one row per customer")
    return header


def check_header(path: Path, spec: FeatureSpec) -> None:
    header = read_header(path)
    expected = list(spec.attributes.columns)
    if header != expected:
        missing = [c for c in expected if c not in header]
        unexpected = [c for c in header if c not in expected]
        raise FeatureSpecError(
            f"attributes file {path} has columns {header}, but the settings list {expected} "
            f"(missing: {missing}, not listed: {unexpected}); list the file's columns in order in "
            "predictiveSegmentationAttributeColumns")


def open_feature_db(lake: Path | None, attributes: Path, spec: FeatureSpec,
                    events_database: str = EVENTS_DATABASE, attributes_table: str = ATTRIBUTES_TABLE):
    """A DuckDB connection with the events views under `events_database` and the attributes table."""
    import duckdb

    check_header(attributes, spec)
    if lake is not None and any((lake / "events").glob("*/*/*/*.parquet")):
        con = open_lake(lake)
        # The lake has a file per channel, day and hour; reading them once into memory keeps the ten views from
        # each re-opening thousands of small files (Athena reads them in parallel; DuckDB here has two cores).
        con.execute(f"CREATE TABLE {TABLE_NAME}_files AS SELECT * FROM {TABLE_NAME}")
        con.execute(f"DROP VIEW {TABLE_NAME}")
        con.execute(f"ALTER TABLE {TABLE_NAME}_files RENAME TO {TABLE_NAME}")
    else:  # no events yet (a new stack, or an attributes-only run): an empty table of the same shape
        con = duckdb.connect()
        con.execute("SET integer_division = true")
        con.execute("SET TimeZone = 'UTC'")
        columns = ", ".join(f'"{name}" {kind}' for name, kind in duckdb_columns(include_partitions=True).items())
        con.execute(f"CREATE TABLE {TABLE_NAME} ({columns})")
    con.execute(f'CREATE SCHEMA IF NOT EXISTS "{events_database}"')
    for view in VIEWS:
        con.execute(f'CREATE VIEW "{events_database}"."{view}" AS {to_duckdb(read_view_sql(view))}')
    schema, table = attributes_table.split(".")
    con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    names = ", ".join(f'"{original}" AS "{glue}"' for original, glue in
                      zip(spec.attributes.columns, spec.attributes.glue_columns))
    if attributes.suffix == ".parquet":
        source = f"read_parquet('{attributes}')"
        names = ", ".join(f'CAST("{o}" AS VARCHAR) AS "{g}"' for o, g in
                          zip(spec.attributes.columns, spec.attributes.glue_columns))
    else:
        source = f"read_csv('{attributes}', header = true, all_varchar = true, quote = '\"', escape = '\"')"
    con.execute(f'CREATE VIEW "{schema}"."{table}" AS SELECT {names} FROM {source}')
    return con


def rendered_sql(spec: FeatureSpec, events_database: str = EVENTS_DATABASE,
                 attributes_table: str = ATTRIBUTES_TABLE) -> str:
    return churn_features.render(TEMPLATE.read_text(encoding="utf-8"), spec, events_database, attributes_table)


def feature_rows(con, spec: FeatureSpec, as_of: date, sql: str | None = None) -> list[dict[str, Any]]:
    """Run the bound feature query; rows as dicts in the contract's column order."""
    athena_sql = churn_features.bind(sql or rendered_sql(spec), as_of, spec)
    cursor = con.execute(to_duckdb(athena_sql))
    columns = [d[0] for d in cursor.description]
    if columns != spec.output_columns:
        raise FeatureSpecError(f"the feature query returned {columns}, the contract expects {spec.output_columns}")
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def load_run_features(con, feature_files: list[Path], spec: FeatureSpec, run_id: str) -> None:
    """The run-features table (contracts/churn_scoring_inputs) on DuckDB: the run's feature files as UNLOAD wrote
    them, typed like the Glue table (absent keys read as NULL, as the JSON SerDe reads them)."""
    from contracts import churn_scoring_inputs as inputs

    kinds = {"string": "VARCHAR", "double": "DOUBLE"}
    columns = ", ".join(f"'{name}': '{kinds[kind]}'" for name, kind in inputs.table_columns(spec))
    files = "[" + ", ".join(f"'{p}'" for p in feature_files) + "]"
    source = (f"read_json({files}, format = 'newline_delimited', compression = 'auto', columns = {{{columns}}})"
              if feature_files else "(SELECT " + ", ".join(
                  f"NULL::{kinds[kind]} AS \"{name}\"" for name, kind in inputs.table_columns(spec)) + " WHERE false)")
    con.execute(f"CREATE OR REPLACE TABLE {inputs.RUN_FEATURES_TABLE} AS "
                f"SELECT *, '{run_id}' AS {inputs.RUN_ID_COLUMN} FROM {source}")


def scoring_inputs(feature_files: list[Path], spec: FeatureSpec, profile: dict[str, Any], run_id: str,
                   out: Path) -> tuple[list[Path], list[Path]]:
    """What Athena unloads for the scoring step, made by the same SQL on DuckDB: out/companion/part-00000.parquet
    and out/drift/part-00000.parquet (the fixture, the tests and the benchmark use it)."""
    import duckdb

    from contracts import churn_scoring_inputs as inputs

    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    load_run_features(con, feature_files, spec, run_id)
    written = []
    for name, sql in (("companion", inputs.companion_query(run_id)), ("drift", inputs.drift_query(run_id, profile))):
        (out / name).mkdir(parents=True, exist_ok=True)
        path = out / name / "part-00000.parquet"
        con.execute(f"COPY ({to_duckdb(sql)}) TO '{path}' (FORMAT parquet, COMPRESSION snappy)")
        written.append([path])
    return written[0], written[1]

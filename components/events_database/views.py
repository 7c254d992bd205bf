"""The analyst views, declared as Glue views (Athena "Presto views") from the .sql files in sql/events/views.

Pure Python on purpose (no pulumi import): the component turns each `glue_view_table_input(...)` into an
`aws.glue.CatalogTable`, and tests check the encoding without Pulumi.

A view's output columns must be in the Glue table, but computing them needs a SQL engine, which the
deploy must not need. So `python -m tools.lock_views` runs every view on DuckDB once and records the
columns (Hive and Presto types) and each file's sha256 in the events contract's lock
(contracts/events/views.lock.json, which consumers of the views read too); `load_views()` refuses to go on
when a .sql file no longer matches its lock entry.

Encoding, as Athena itself writes a view into the Glue catalog: TableType VIRTUAL_VIEW,
ViewOriginalText = "/* Presto View: " + base64(JSON {originalSql, catalog, schema, columns[name,type]}) +
" */", ViewExpandedText = "/* Presto View */", parameters presto_view=true and comment "Presto View".
"""
from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from contracts.events.views import LOCK_FILE

REPO_ROOT = Path(__file__).resolve().parents[2]
VIEWS_DIR = REPO_ROOT / "sql" / "events" / "views"
CATALOG = "awsdatacatalog"


class StaleViewLockError(RuntimeError):
    """A view's .sql changed (or was added/removed) without re-running `python -m tools.lock_views`."""


@dataclass(frozen=True)
class ViewColumn:
    name: str
    hive_type: str
    presto_type: str


@dataclass(frozen=True)
class ViewDefinition:
    name: str
    sql: str
    columns: tuple[ViewColumn, ...]


def view_names(views_dir: Path = VIEWS_DIR) -> list[str]:
    return sorted(p.stem for p in views_dir.glob("*.sql"))


def read_view_sql(name: str, views_dir: Path = VIEWS_DIR) -> str:
    return (views_dir / f"{name}.sql").read_text(encoding="utf-8")


def sql_sha256(sql: str) -> str:
    return hashlib.sha256(sql.encode("utf-8")).hexdigest()


def original_sql(sql: str) -> str:
    """The SQL Athena stores for a view: no trailing semicolon or whitespace; comments kept (they say why)."""
    return sql.strip().rstrip(";").strip()


def load_views(views_dir: Path = VIEWS_DIR, lock_file: Path = LOCK_FILE) -> list[ViewDefinition]:
    if not lock_file.exists():
        raise StaleViewLockError(f"{lock_file} is missing: run `python -m tools.lock_views`")
    lock = json.loads(lock_file.read_text(encoding="utf-8"))["views"]
    names = view_names(views_dir)
    if sorted(lock) != names:
        raise StaleViewLockError(
            f"views on disk {names} differ from the lock file's {sorted(lock)}: run `python -m tools.lock_views`")
    views = []
    for name in names:
        sql = read_view_sql(name, views_dir)
        if sql_sha256(sql) != lock[name]["sha256"]:
            raise StaleViewLockError(
                f"sql/events/views/{name}.sql changed since views.lock.json was generated: "
                "run `python -m tools.lock_views` and commit contracts/events/views.lock.json")
        views.append(ViewDefinition(name, sql, tuple(ViewColumn(**c) for c in lock[name]["columns"])))
    return views


def presto_view_text(view: ViewDefinition, database: str) -> str:
    payload = {
        "originalSql": original_sql(view.sql),
        "catalog": CATALOG,
        "schema": database,
        "columns": [{"name": c.name, "type": c.presto_type} for c in view.columns],
    }
    encoded = base64.b64encode(json.dumps(payload).encode("utf-8")).decode("ascii")
    return f"/* Presto View: {encoded} */"


def glue_view_table_input(view: ViewDefinition, database: str) -> dict:
    """What `aws.glue.CatalogTable` needs to declare this view in `database`."""
    return {
        "name": view.name,
        "table_type": "VIRTUAL_VIEW",
        "view_original_text": presto_view_text(view, database),
        "view_expanded_text": "/* Presto View */",
        "parameters": {"presto_view": "true", "comment": "Presto View"},
        "columns": [(c.name, c.hive_type) for c in view.columns],
    }

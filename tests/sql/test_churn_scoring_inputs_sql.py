"""The queries that unload what the scoring step reads (contracts/churn_scoring_inputs), run for real on DuckDB
over feature files as UNLOAD writes them: the drift bins equal `contracts.churn_features.psi`'s binning (the number
of training edges <= the value, one past the last bin when missing) for any edges and values, edges included; the
companion is the run's rows only; both parse as Athena (Trino) SQL."""
from __future__ import annotations

import gzip
import json
from bisect import bisect_right
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sqlglot
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts import churn_scoring_inputs as inputs
from contracts.churn_features import AttributeSpec, FeatureSpec
from tools.churn_features_local import scoring_inputs
from tools.sample_customers import SEED_COLUMNS

SPEC = FeatureSpec(AttributeSpec(SEED_COLUMNS, "Id", "Attributes.Churn", SEED_COLUMNS[3:-1], ("ChannelType",),
                                 "Address"), (7, 30))
RUN = "20260701T030000Z-score"


def psi_bin(value: float | None, edges: list[float]) -> int:
    """The binning psi's docstring defines, written independently of the SQL."""
    return len(edges) + 1 if value is None else bisect_right(edges, value)


def write_features(folder: Path, rows: list[dict]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "part-00000.gz"
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    return [path]


def histogram(paths: list[Path]) -> dict[tuple[str, int], int]:
    return {(r["feature"], r["bin"]): r["customers"] for r in pq.read_table(paths).to_pylist()}


finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edges=st.lists(finite, max_size=9, unique=True).map(sorted),
       values=st.lists(st.one_of(st.none(), finite, st.integers(0, 3)), min_size=1, max_size=30),
       picks=st.lists(st.integers(0, 8), max_size=5))
def test_drift_bins_in_sql_equal_the_psi_binning_for_any_edges_and_values(tmp_path_factory, edges, values, picks):
    values = values + [edges[i] for i in picks if i < len(edges)]  # values exactly on an edge
    rows = [{"customer_id": f"c{i}", "address": None, "label": "0", "open_count_7d": v} for i, v in enumerate(values)]
    rows.append({"customer_id": "absent", "label": "1"})  # the key missing from the JSON: NULL, the last bin
    folder = tmp_path_factory.mktemp("drift")
    profile = {"open_count_7d": {"edges": edges}, "channeltype=EMAIL": {"edges": []}}
    _, drift = scoring_inputs(write_features(folder / "features", rows), SPEC, profile, RUN, folder)
    expected: dict[tuple[str, int], int] = {}
    for value in values + [None]:
        key = ("open_count_7d", psi_bin(None if value is None else float(value), edges))
        expected[key] = expected.get(key, 0) + 1
    assert histogram(drift) == expected


def test_drift_counts_every_numeric_feature_of_the_profile_in_one_pass(tmp_path):
    rows = [{"customer_id": "a", "label": "0", "open_count_7d": 2, "days_since_send": 5.5},
            {"customer_id": "b", "label": "1", "open_count_7d": 0, "days_since_send": None},
            {"customer_id": "c", "label": "0", "open_count_7d": 7}]
    profile = {"open_count_7d": {"edges": [1.0, 2.0]}, "days_since_send": {"edges": [5.5]}}
    _, drift = scoring_inputs(write_features(tmp_path / "features", rows), SPEC, profile, RUN, tmp_path)
    assert histogram(drift) == {("open_count_7d", 2): 2, ("open_count_7d", 0): 1,
                                ("days_since_send", 1): 1, ("days_since_send", 2): 2}


def test_the_companion_is_the_runs_id_address_and_label_and_nothing_else(tmp_path):
    rows = [{"customer_id": "çliente,1", "address": "a@example.net", "label": "1", "open_count_7d": 3},
            {"customer_id": "c2", "address": None, "label": None}]
    companion, _ = scoring_inputs(write_features(tmp_path / "features", rows), SPEC, {}, RUN, tmp_path)
    table = pq.read_table(companion)
    assert table.column_names == list(inputs.COMPANION_COLUMNS)
    assert sorted(table.to_pylist(), key=lambda r: r["customer_id"]) == [
        {"customer_id": "c2", "address": None, "label": None},
        {"customer_id": "çliente,1", "address": "a@example.net", "label": "1"}]


def test_queries_name_their_run_and_read_only_it(tmp_path):
    import duckdb

    from tools.churn_features_local import load_run_features
    from tools.local_lake import to_duckdb

    con = duckdb.connect()
    load_run_features(con, write_features(tmp_path, [{"customer_id": "x", "label": "0", "open_count_7d": 1}]),
                      SPEC, "20260601T030000Z-score")
    assert con.execute(to_duckdb(inputs.companion_query(RUN))).fetchall() == []
    assert con.execute(to_duckdb(inputs.drift_query(RUN, {"open_count_7d": {"edges": [1.0]}}))).fetchall() == []


@pytest.mark.parametrize("sql", [
    inputs.companion_query(RUN),
    inputs.drift_query(RUN, {"open_count_7d": {"edges": [0.1, 1e-300, 3.0]}, "days_since_open": {"edges": []}}),
    inputs.drift_query(RUN, {"plan=gold": {}}),
])
def test_queries_are_athena_sql_with_double_edges(sql):
    parsed = sqlglot.parse_one(sql, read="athena")
    assert parsed.sql(dialect="athena")
    # a bare 0.1 would be a DECIMAL in Trino: every edge is text cast to DOUBLE, parsed the way Python wrote it
    numbers = [n.this for n in parsed.find_all(sqlglot.exp.Literal) if not n.is_string]
    assert all("." not in n and "e" not in n.lower() for n in numbers)
    unload = inputs.unload_parquet(sql, "bucket", "runs/x/drift/")
    assert unload.endswith("WITH (format = 'PARQUET', compression = 'SNAPPY')")


def test_table_columns_are_the_feature_querys_output_typed_for_the_json_serde():
    columns = inputs.table_columns(SPEC)
    assert [n for n, _ in columns] == SPEC.output_columns
    kinds = dict(columns)
    assert kinds["customer_id"] == kinds["label"] == kinds["channeltype"] == "string"
    assert kinds["open_count_7d"] == kinds["attributes_accountlength"] == "double"

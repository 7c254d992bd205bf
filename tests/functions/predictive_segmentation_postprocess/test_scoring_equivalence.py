"""The scoring step against the implementation it replaced, on the same inputs (tests/fixtures/churn_scoring: real
producers' feature and transform files, the companion and drift files the real SQL makes from those features, and
what scoring.py at 6b075c6 wrote reading the features themselves), read with the contract's schema; the control
group against the contract's definition for any customer id; bad inputs."""
from __future__ import annotations

import csv
import gzip
import json
import math
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts import churn_scores
from functions.predictive_segmentation_postprocess import scoring
from tools.churn_features_local import scoring_inputs

from postprocess_setup import SPEC

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "churn_scoring"
SETTINGS = scoring.ScoringSettings(control_fraction=0.2, control_salt="fixture-salt", medium_percentile=0.7)
RUNS = {"previous": (scoring.Run("20260601T030000Z-score", "2026-06-01"), None),
        "current": (scoring.Run("20260701T030000Z-score", "2026-07-01"),
                    FIXTURE / "previous" / "expected" / "scores.parquet")}
HIVE = {"string": pa.string(), "double": pa.float64(), "boolean": pa.bool_(), "int": pa.int32(),
        "array<struct<feature:string,contribution:double>>": pa.list_(pa.field("element", pa.struct(
            [("feature", pa.string()), ("contribution", pa.float64())])))}


def contract_schema() -> pa.Schema:
    """The Glue table's columns (contracts/churn_scores.SCORE_COLUMNS) as Arrow types."""
    return pa.schema([(name, HIVE[kind]) for name, kind in churn_scores.SCORE_COLUMNS])


def meta() -> dict:
    return json.loads((FIXTURE / "meta.json").read_text())


def files(folder: Path, sub: str) -> list[Path]:
    return sorted((folder / sub).iterdir())


def score_run(folder: Path, out: Path, run: scoring.Run, previous: Path | None, **overrides) -> dict:
    return scoring.score(files(folder, "transform"), files(folder, "companion"), files(folder, "drift"),
                         {**meta(), **overrides}, SETTINGS, run, out, previous)


def model_feature_names(folder: Path) -> list[str]:
    """A model's `feature_names` as training's meta.json lists them (the fixture's meta.json keeps only what the
    replaced implementation read): every name its transform rows carry, and one they never pick."""
    names = {"never_a_top_feature"}
    for path in files(folder, "transform"):
        with path.open(newline="", encoding="utf-8") as handle:
            names |= {name for row in csv.reader(handle) for name in row[3::2] if name}
    return sorted(names)


@pytest.fixture
def joins(monkeypatch) -> list[str]:
    """The transform sources score() joined, in order (the feature columns' type shows which path ran)."""
    sources, join = [], scoring.join_features
    monkeypatch.setattr(scoring, "join_features", lambda con, source, *rest: (sources.append(source),
                                                                               join(con, source, *rest)))
    return sources


@pytest.mark.parametrize("name", list(RUNS))
def test_the_fixture_scoring_inputs_are_what_the_sql_makes_of_its_features(tmp_path, name):
    run = RUNS[name][0]
    companion, drift = scoring_inputs(files(FIXTURE / name, "features"), SPEC, meta()["profile"], run.run_id, tmp_path)
    for made, stored in ((companion, files(FIXTURE / name, "companion")), (drift, files(FIXTURE / name, "drift"))):
        key = [(c, "ascending") for c in pq.read_schema(made[0]).names]
        assert pq.read_table(made).sort_by(key).to_pylist() == pq.read_table(stored).sort_by(key).to_pylist()


def by_customer(path: Path) -> dict[str, dict]:
    return {r["customer_id"]: r for r in pq.read_table(path, schema=contract_schema()).to_pylist()}


@pytest.mark.parametrize("named", [True, False], ids=["model-feature-names", "no-feature-names"])
@pytest.mark.parametrize("name", list(RUNS))
def test_outputs_equal_the_replaced_implementation_on_the_same_input(tmp_path, joins, name, named):
    run, previous = RUNS[name]
    names = {"feature_names": model_feature_names(FIXTURE / name)} if named else {}
    summary = score_run(FIXTURE / name, tmp_path, run, previous, **names)
    assert len(joins) == 1 and (f"'feature_1': '{scoring.FEATURE_NAME}'" in joins[0]) == named
    assert f"'model_version': '{scoring.MODEL_VERSION}'" in joins[0]
    expected = FIXTURE / name / "expected"
    written = pq.read_schema(tmp_path / "scores.parquet")
    assert [(f.name, f.type) for f in written] == [(f.name, f.type) for f in contract_schema()]
    new, old = by_customer(tmp_path / "scores.parquet"), by_customer(expected / "scores.parquet")
    assert len(new) == 700 and new == old  # scores, percentiles, bands, control, top features, version, labels
    assert (tmp_path / "audience.csv").read_bytes() == (expected / "audience.csv").read_bytes()
    assert summary == json.loads((expected / "summary.json").read_text())  # counts, backtest, drift


def test_feature_names_as_an_enum_write_the_same_parquet_schema_as_text(tmp_path):
    """Athena reads the file through the Glue table: the ENUM columns must be plain UTF-8 strings in Parquet,
    physically and logically the same as the text path writes."""
    run, previous = RUNS["current"]
    score_run(FIXTURE / "current", tmp_path / "text", run, previous)
    score_run(FIXTURE / "current", tmp_path / "enum", run, previous,
              feature_names=model_feature_names(FIXTURE / "current"))
    text, enum = (pq.ParquetFile(tmp_path / kind / "scores.parquet") for kind in ("text", "enum"))
    assert enum.schema.equals(text.schema) and enum.schema_arrow == text.schema_arrow
    assert str(enum.schema).split("\n", 1)[1] == str(text.schema).split("\n", 1)[1]  # logical types too
    assert by_customer(tmp_path / "enum" / "scores.parquet") == by_customer(tmp_path / "text" / "scores.parquet")


@pytest.mark.parametrize("lacks", ["feature", "version"])
def test_a_name_or_version_the_models_meta_lacks_scores_as_text_columns(tmp_path, joins, lacks):
    """A top feature outside meta.json's feature_names, or rows of another model version (a model promoted
    mid-run, a hand-made meta), cannot be ENUM values: the join runs again on text columns and the outputs are
    what they would have been (the handler then refuses another version's scores: test_postprocess_handler)."""
    run, previous = RUNS["current"]
    names = model_feature_names(FIXTURE / "current")
    overrides = {"feature_names": [n for n in names if n != "days_since_open"]} if lacks == "feature" else \
        {"feature_names": names, "model_version": "another-version"}
    summary = score_run(FIXTURE / "current", tmp_path, run, previous, **overrides)
    assert len(joins) == 2 and scoring.FEATURE_NAME in joins[0] and "ENUM" not in joins[1]
    assert scoring.FEATURE_NAME not in joins[1] and scoring.MODEL_VERSION not in joins[1]
    expected = FIXTURE / "current" / "expected"
    assert by_customer(tmp_path / "scores.parquet") == by_customer(expected / "scores.parquet")
    assert (tmp_path / "audience.csv").read_bytes() == (expected / "audience.csv").read_bytes()
    assert summary == json.loads((expected / "summary.json").read_text())



@pytest.mark.parametrize("feature_names", [7, 0.5, True, {"days_since_open": 1}, "days_since_open"],
                         ids=["int", "float", "bool", "object", "string"])
def test_feature_names_that_are_not_a_list_score_as_text_columns(tmp_path, joins, feature_names):
    """Scoring never read `feature_names` before the ENUMs: a hand-made or older meta.json whose value is not a
    list of names is treated as lacking the list (text columns), not a TypeError or an ENUM of its letters or
    keys; the outputs are the replaced implementation's."""
    run, previous = RUNS["current"]
    summary = score_run(FIXTURE / "current", tmp_path, run, previous, feature_names=feature_names)
    assert len(joins) == 1 and scoring.FEATURE_NAME not in joins[0]
    expected = FIXTURE / "current" / "expected"
    assert by_customer(tmp_path / "scores.parquet") == by_customer(expected / "scores.parquet")
    assert summary == json.loads((expected / "summary.json").read_text())

def test_the_fixture_holds_the_cases_it_claims():
    rows = by_customer(FIXTURE / "current" / "expected" / "scores.parquet")
    assert {"c,00001", 'c"00002', "çliente-00003"} <= set(rows)
    assert sorted(len(rows[c]["top_features"]) for c in ("c00020", "c00021", "c00022")) == [0, 1, 2]
    ties = {rows[f"tie-{i:05d}"]["percentile"] for i in range(10, 16)} | {rows["c00009"]["percentile"]}
    assert len(ties) == 1
    assert {r["risk_band"] for r in rows.values()} == {"high", "medium", "low"}
    assert any(r["control"] for r in rows.values()) and rows["c00005"]["label_at_scoring"] is None


def test_control_group_is_the_same_customers_as_before_and_as_the_contract_defines(tmp_path):
    run, previous = RUNS["current"]
    score_run(FIXTURE / "current", tmp_path, run, previous)
    new = by_customer(tmp_path / "scores.parquet")
    old = by_customer(FIXTURE / "current" / "expected" / "scores.parquet")
    control = {c for c, r in new.items() if r["control"]}
    assert control == {c for c, r in old.items() if r["control"]}
    assert control == {c for c, r in new.items() if r["at_risk"] and churn_scores.is_control(c, "fixture-salt", 0.2)}
    assert 0 < len(control) < sum(r["at_risk"] for r in new.values())


def write_inputs(folder: Path, ids: list[str], scores: list[str] | None = None) -> None:
    """One feature file as UNLOAD writes it and the transform CSV as inference writes it (csv.writer)."""
    (folder / "features").mkdir(parents=True)
    (folder / "transform").mkdir()
    with gzip.open(folder / "features" / "part-00000.gz", "wt") as out:
        for customer_id in ids:
            out.write(json.dumps({"customer_id": customer_id, "address": None, "label": "0", "open_count_30d": 1})
                      + "\n")
    with (folder / "transform" / "part-00000.out").open("w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        for index, customer_id in enumerate(ids):
            row = churn_scores.transform_row(customer_id, 0.9, "v1", [("open_count_30d", 0.5)])
            writer.writerow([row[0], scores[index] if scores else row[1], *row[2:]])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"),
                            min_size=1, max_size=12), min_size=1, max_size=40, unique=True),
       salt=st.text(min_size=1, max_size=8).filter(lambda s: "\x00" not in s),
       fraction=st.one_of(st.floats(0, 1), st.sampled_from([0.0, 0.1, 0.5, 1.0, 2.0 ** -52, 1 - 2.0 ** -52])))
def test_control_draw_in_sql_matches_the_contract_for_any_id_salt_and_fraction(tmp_path_factory, ids, salt, fraction):
    folder = tmp_path_factory.mktemp("ids")
    write_inputs(folder, ids)
    settings_ = scoring.ScoringSettings(control_fraction=fraction, control_salt=salt)
    companion, drift = scoring_inputs(files(folder, "features"), SPEC, {}, "r", folder)
    scoring.score(files(folder, "transform"), companion, drift, {"threshold": 0.5, "profile": {}}, settings_,
                  scoring.Run("r", "2026-07-01"), folder / "out")
    rows = pq.read_table(folder / "out" / "scores.parquet").to_pylist()
    assert {r["customer_id"]: r["control"] for r in rows} == {c: churn_scores.is_control(c, salt, fraction) for c in ids}


@settings(max_examples=300, deadline=None)
@given(unit_bits=st.integers(0, 16 ** 13 - 1), fraction=st.floats(0, 1))
def test_the_control_draws_string_comparison_orders_as_the_contracts_number(unit_bits, fraction):
    """Any 13-digit prefix against any fraction (and the digits next to the bound): the SQL's comparison of
    the hex digest with the bound string decides as control_unit() < fraction does."""
    import duckdb

    con = duckdb.connect()  # its own: a result left on the module's default connection blocks later users
    draw = scoring._control_draw("digest", scoring.ScoringSettings(control_fraction=fraction))
    bound = math.ceil(fraction * 16 ** 13)
    for prefix in {unit_bits, *(b for b in (bound - 1, bound) if 0 <= b < 16 ** 13)}:
        digest = f"{prefix:013x}" + "f" * 51  # the other 51 digits never decide
        got = draw == "true" if draw in ("true", "false") else \
            con.execute(f"SELECT ? < {draw.rsplit(' < ', 1)[1]}", [digest]).fetchall()[0][0]
        assert got == (prefix / 16 ** 13 < fraction), (prefix, fraction)


def copy_run(tmp_path: Path) -> Path:
    folder = tmp_path / "run"
    shutil.copytree(FIXTURE / "current", folder, ignore=shutil.ignore_patterns("expected"))
    return folder


def remake_scoring_inputs(folder: Path) -> None:
    """companion/ and drift/ of an edited run, as Athena would unload them from its feature files."""
    for sub in ("companion", "drift"):
        shutil.rmtree(folder / sub)
    scoring_inputs(files(folder, "features"), SPEC, meta()["profile"], RUNS["current"][0].run_id, folder)


def edit_lines(path: Path, edit) -> None:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines(keepends=True)
    with opener(path, "wt", encoding="utf-8", newline="") as handle:
        handle.write("".join(edit(lines)))


def set_field(index: int, value: str):
    """An edit of the first line of a transform file: one CSV field replaced."""
    def edit(lines: list[str]) -> list[str]:
        fields = lines[0].rstrip("\n").split(",")
        fields[index] = value
        return [",".join(fields) + "\n", *lines[1:]]
    return edit


@pytest.mark.parametrize("file, edit, message", [
    ("transform/part-00000.out", set_field(1, "1.5"), "1 scores that are not probabilities"),
    ("transform/part-00000.out", set_field(1, ""), "1 scores that are not probabilities"),
    ("transform/part-00000.out", set_field(1, "nan"), "1 scores that are not probabilities"),
    ("transform/part-00000.out", set_field(0, "someone-else"), "scored 1 customers that are not in the run's features"),
    ("features/part-00001.gz", lambda lines: [*lines, lines[0]], "features hold 1 duplicate customer ids"),
    ("transform/part-00001.out", lambda lines: [], "scored 350 customers but the features hold 700"),
])
@pytest.mark.parametrize("named", [True, False], ids=["model-feature-names", "no-feature-names"])
def test_inputs_that_do_not_add_up_stop_the_step(tmp_path, file, edit, message, named):
    folder = copy_run(tmp_path)
    edit_lines(folder / file, edit)
    remake_scoring_inputs(folder)
    names = {"feature_names": model_feature_names(FIXTURE / "current")} if named else {}
    with pytest.raises(scoring.ScoringError, match=message):
        score_run(folder, tmp_path / "out", *RUNS["previous"], **names)


def test_no_transform_files_is_a_clear_error(tmp_path):
    with pytest.raises(scoring.ScoringError, match="wrote no output files"):
        scoring.score([], files(FIXTURE / "current", "companion"), files(FIXTURE / "current", "drift"), meta(),
                      SETTINGS, RUNS["current"][0], tmp_path)


def test_a_drift_histogram_of_other_rows_stops_the_step(tmp_path):
    folder = copy_run(tmp_path)
    edit_lines(folder / "features" / "part-00001.gz", lambda lines: lines[:-1])  # the histogram counts one row less
    shutil.rmtree(folder / "drift")
    scoring_inputs(files(folder, "features"), SPEC, meta()["profile"], RUNS["current"][0].run_id, tmp_path / "remade")
    shutil.copytree(tmp_path / "remade" / "drift", folder / "drift")
    with pytest.raises(scoring.ScoringError, match="counts 699 customers .* the features hold 700; rerun"):
        score_run(folder, tmp_path / "out", *RUNS["current"])


@settings(max_examples=200, deadline=None)
@given(scored=st.lists(st.one_of(st.none(), st.sampled_from("abcde")), max_size=7),
       featured=st.lists(st.one_of(st.none(), st.sampled_from("abcde")), max_size=7),
       probabilities=st.booleans())
def test_the_one_join_check_passes_exactly_when_every_detailed_check_does(scored, featured, probabilities):
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE transform (customer_id VARCHAR, score DOUBLE)")
    con.execute("CREATE TABLE features (customer_id VARCHAR, label INTEGER, address VARCHAR)")
    for index, customer_id in enumerate(scored):
        con.execute("INSERT INTO transform VALUES (?, ?)", [customer_id, 0.5 if probabilities or index else 1.5])
    for customer_id in featured:
        con.execute("INSERT INTO features VALUES (?, 0, NULL)", [customer_id])
    ids = [c for c in scored if c is not None]
    detailed = bool(scored) and probabilities and len(set(ids)) == len(scored) and \
        len(set(c for c in featured if c is not None)) == len(featured) and len(scored) == len(featured) and \
        all(c in featured for c in ids)
    scoring.join_features(con, "transform", 0.5, scoring.ScoringSettings())  # as score() joins the CSV
    assert scoring.adds_up(con) == detailed
    if not detailed:
        with pytest.raises(scoring.ScoringError):
            scoring.check(con)

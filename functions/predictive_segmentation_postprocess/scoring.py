"""Batch-transform output -> scored customers: percentile, risk band, control group, audience; backtest; drift.

Plain logic over local files, run by DuckDB (vectorised C++; the handler downloads the files first). The inputs
are the transform CSV and what Athena unloaded for scoring from the run's feature rows
(contracts/churn_scoring_inputs): a narrow Parquet companion (id, address, label) and the drift histogram; the
wide feature JSON, seven times the CSV, is batch transform's input only. One statement streams the transform CSV
into a FULL JOIN with the companion and stores the result (`scored`: labels, addresses, the at-risk flag and the
control-group hash); the check counts it; the Parquet history file (with the percentiles, computed once over the
distinct scores) and the audience CSV are written from it, the counts read the Parquet back; the backtest reads
the previous history file, and drift compares the histogram with the training profile. No row passes through
Python. The same code scores locally (tools/churn_local.py) and in Lambda.
"""
from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contracts import churn_scores
from contracts import churn_scoring_inputs as inputs
from contracts.churn_features import psi


class ScoringError(ValueError):
    """The run's inputs do not add up (missing or duplicate customers, no scores); nothing is published."""


@dataclass(frozen=True)
class ScoringSettings:
    control_fraction: float = 0.1
    control_salt: str = "churn-control-v1"
    medium_percentile: float = 0.8


@dataclass(frozen=True)
class Run:
    run_id: str
    as_of: str


FEATURE_NAME, MODEL_VERSION = "top_feature_name", "model_version_name"  # ENUMs of the model: see model_types


def _csv_columns(types: Mapping[str, str] | None = None) -> str:
    types = {"score": "DOUBLE"} | {c: "DOUBLE" for c in churn_scores.TRANSFORM_COLUMNS if c.startswith("contribution")} \
        | dict(types or {})
    return "{" + ", ".join(f"'{c}': '{types.get(c, 'VARCHAR')}'" for c in churn_scores.TRANSFORM_COLUMNS) + "}"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _constant(text: str) -> str:
    """A string that every row holds, as a one-value ENUM: the Parquet writer writes its dictionary as it is
    instead of hashing the string for every row; readers see the string."""
    return f"{_literal(text)}::ENUM ({_literal(text)})"


def _files(paths: Sequence[Path]) -> str:
    return "[" + ", ".join(_literal(str(p)) for p in paths) + "]"


def connect():
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    # no statement here relies on the order rows were read in (the audience is sorted explicitly); keeping it
    # costs about a tenth of the step's CPU time (DuckDB orders parallel reads' batches)
    con.execute("SET preserve_insertion_order = false")
    return con


def model_types(con, meta: Mapping[str, Any]) -> dict[str, str]:
    """Types to read the transform's text columns as, from the model's meta.json: the ENUM `top_feature_name`
    of its `feature_names` (the only names inference writes) for the feature columns, the one-value ENUM
    `model_version_name` for the version; none for what meta lacks. With an ENUM the CSV reader stores a small
    integer per row, and the Parquet writer writes the ENUM's dictionary as it is instead of hashing every row's
    string (a quarter of the Parquet file's cost); readers see the same strings. A value outside an ENUM stops
    the join: score() then reads text."""
    types = {}
    listed = meta.get("feature_names")  # training writes a list; anything else counts as lacking it
    names = sorted({str(name) for name in listed}) if isinstance(listed, list) else []
    if names:
        con.execute(f"CREATE TYPE {FEATURE_NAME} AS ENUM ({', '.join(_literal(n) for n in names)})")
        types |= {f"feature_{i}": FEATURE_NAME for i in range(1, churn_scores.TOP_FEATURES + 1)}
    if meta.get("model_version"):
        con.execute(f"CREATE TYPE {MODEL_VERSION} AS ENUM ({_literal(str(meta['model_version']))})")
        types["model_version"] = MODEL_VERSION
    return types


def load_features(con, companion_files: Sequence[Path]) -> None:
    """View `features`: the run's companion rows (id, address, label; contracts/churn_scoring_inputs), the
    narrow Parquet Athena unloads from the feature rows, one row per feature row. A view: the join reads it
    once into its hash table and the counts read Parquet metadata and one column; a stored copy costs more."""
    source = f"read_parquet({_files(companion_files)})" if companion_files else \
        "(SELECT NULL::VARCHAR AS customer_id, NULL::VARCHAR AS address, NULL::VARCHAR AS label WHERE false)"
    con.execute(f"CREATE VIEW features AS SELECT customer_id::VARCHAR AS customer_id, address::VARCHAR AS address, "
                f"TRY_CAST(label AS INTEGER) AS label FROM {source}")


def _transform_source(transform_files: Sequence[Path], types: Mapping[str, str] | None = None) -> str:
    return (f"read_csv({_files(transform_files)}, header = false, columns = {_csv_columns(types)}, quote = '\"', "
            "escape = '\"', auto_detect = false)")


def load_transform(con, transform_files: Sequence[Path]) -> None:
    """Temporary table `transform`: the CSV as batch transform wrote it, typed by the contract (the failure
    path's detailed checks read it; a passing run streams the CSV into `join_features` instead)."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE transform AS SELECT * FROM {_transform_source(transform_files)}")


def _control_draw(customer_id: str, settings: ScoringSettings) -> str:
    """SQL for is_control() of contracts/churn_scores: the number in the first 13 hex digits of
    sha256(salt:customer_id) is below fraction * 16**13, i.e. below its ceiling (the product is exact: a power
    of two). Hex digits of one width order as their numbers do, and the 64-digit digest sorts below a 13-digit
    string exactly when its first 13 digits do: one string comparison, no number parsed per customer."""
    bound = math.ceil(float(settings.control_fraction) * 16 ** 13)
    if bound <= 0 or bound >= 16 ** 13:
        return "true" if bound > 0 else "false"
    return f"sha256({_literal(settings.control_salt + ':')} || {customer_id}) < '{bound:013x}'"


def join_features(con, transform: str, threshold: float, settings: ScoringSettings) -> None:
    """Temporary table `scored`, the one pass over the transform rows: each joined with its feature row (label,
    address) by a FULL JOIN, so that ids missing on either side stay visible to `adds_up`, with the at-risk
    flag and the control-group draw. `transform` is the CSV reader (or, in tests, a table)."""
    # the features are the hash table's side: read_csv's estimate is a few hundred rows, which would make
    # DuckDB build it on the wide CSV side, and the CSV streams into the probe instead of being stored twice
    con.execute("SET disabled_optimizers = 'join_order,build_side_probe_side'")
    try:
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE scored AS
            SELECT t.* EXCLUDE (present), f.label, f.address, coalesce(t.present AND f.present, false) AS matched,
                   t.score >= {float(threshold)!r} AS at_risk,
                   -- drawn only for at-risk customers: the only ones a control group is taken from
                   CASE WHEN t.score >= {float(threshold)!r}
                        THEN {_control_draw("t.customer_id", settings)} ELSE false END AS control
            FROM (SELECT *, true AS present FROM {transform}) t
            FULL JOIN (SELECT customer_id, label, address, true AS present FROM features) f
              ON t.customer_id = f.customer_id""")
    finally:
        con.execute("RESET disabled_optimizers")


def adds_up(con) -> bool:
    """Read off `scored` and the features: with F feature rows, all distinct, and no row of the FULL JOIN
    unmatched, every id has exactly one feature row and at least one transform row, and the J rows of the join
    number the transform rows; J = F then holds only if no customer id repeats in the transform. A NULL id
    never matches (and is not counted as distinct), so it fails here too. When this fails, `check` says why."""
    rows, matched, not_probabilities, featured, featured_distinct = con.execute("""
        SELECT count(*), count(*) FILTER (WHERE matched),
               count(*) FILTER (WHERE matched AND NOT coalesce(score BETWEEN 0 AND 1, false)),
               (SELECT count(*) FROM features), (SELECT count(DISTINCT customer_id) FROM features)
        FROM scored""").fetchone()
    return rows > 0 and not not_probabilities and rows == matched == featured == featured_distinct


def check(con, transform_files: Sequence[Path] = ()) -> None:
    """The run adds up: every feature row scored once with a probability, nothing else scored. If not, the
    detailed checks say why, from the table `transform` (loaded from transform_files) and the features."""
    if adds_up(con):
        return
    if transform_files:
        load_transform(con, transform_files)  # only on this path: a passing run never stores the CSV as it is
    scored, distinct, not_probabilities, featured, featured_distinct, matched = con.execute("""
        SELECT count(*), count(DISTINCT customer_id), count(*) FILTER (WHERE NOT coalesce(score BETWEEN 0 AND 1, false)),
               (SELECT count(*) FROM features), (SELECT count(DISTINCT customer_id) FROM features),
               count(*) FILTER (WHERE customer_id IN (SELECT customer_id FROM features))
        FROM transform""").fetchone()
    if scored == 0:
        raise ScoringError("batch transform output is empty; the feature query returned no customers")
    if distinct != scored:
        raise ScoringError(f"batch transform output has {scored - distinct} duplicate customer ids")
    if not_probabilities:
        raise ScoringError(f"batch transform output has {not_probabilities} scores that are not probabilities")
    if featured_distinct != featured:
        raise ScoringError(f"the run's features hold {featured - featured_distinct} duplicate customer ids")
    if scored != featured:
        raise ScoringError(f"batch transform scored {scored} customers but the features hold {featured}")
    if matched != scored:
        raise ScoringError(f"batch transform scored {scored - matched} customers that are not in the run's features")
    raise ScoringError("batch transform output and the run's features do not match (ids missing on either side)")


def rank(con) -> None:
    """Temporary table `percentiles`, one row per distinct score: percent_rank() OVER (ORDER BY score),
    (rank - 1) / (n - 1), computed over the distinct scores and joined back: the same figures without sorting
    every row with its strings."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE percentiles AS
        WITH tally AS (SELECT score, count(*) AS customers FROM scored GROUP BY score)
        SELECT score, (sum(customers) OVER (ORDER BY score) - customers)
                      / greatest(sum(customers) OVER () - 1, 1) AS percentile
        FROM tally""")


def _scores(settings: ScoringSettings, run: Run) -> str:
    """The contract's SCORE_COLUMNS (plus the address) over `scored` and `percentiles`, once `adds_up`; the
    audience's statement selects its columns from it (DuckDB drops the ones not selected)."""
    top = range(1, churn_scores.TOP_FEATURES + 1)
    struct = lambda i: f"{{'feature': feature_{i}, 'contribution': contribution_{i}}}"
    # inference pads missing top features at the end, so the non-empty ones are a prefix of the list: as many
    # as are present, each row's list built in its own length (cheaper than slicing a full one)
    present = " + ".join(f"(coalesce(feature_{i}::VARCHAR, '') <> '')::INTEGER" for i in top)
    top_features = f"CASE {present} " + " ".join(
        f"WHEN {n} THEN [{', '.join(struct(i) for i in range(1, n + 1))}]" for n in reversed(top)) + " ELSE [] END"
    return f"""
        SELECT customer_id, score, percentile,
               (CASE WHEN at_risk THEN 'high' WHEN percentile >= {settings.medium_percentile!r} THEN 'medium'
                     ELSE 'low' END)::ENUM ({', '.join(map(_literal, churn_scores.RISK_BANDS))}) AS risk_band,
               at_risk, control, at_risk AND NOT control AS in_audience,
               {top_features} AS top_features,
               model_version, {_constant(run.run_id)} AS run_id, {_constant(run.as_of)} AS as_of,
               label AS label_at_scoring, address
        FROM scored JOIN percentiles USING (score)"""


def write_scores(con, settings: ScoringSettings, run: Run, scores_path: Path) -> None:
    """scores.parquet in the contract's SCORE_COLUMNS, in one statement from `scored` and `percentiles`."""
    scores_path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT * EXCLUDE (address) FROM ({_scores(settings, run)})) "
                f"TO {_literal(str(scores_path))} (FORMAT parquet, COMPRESSION snappy)")


def counts(con, scores_path: Path) -> dict[str, Any]:
    row = con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE at_risk), count(*) FILTER (WHERE control),
               count(*) FILTER (WHERE in_audience), count(*) FILTER (WHERE risk_band = 'medium'),
               min(model_version), max(model_version)
        FROM read_parquet({_literal(str(scores_path))})""").fetchone()
    if row[5] != row[6]:
        raise ScoringError(f"scores come from two model versions ({row[5]}, {row[6]}); rerun the transform")
    return {"scored": row[0], "at_risk": row[1], "control": row[2], "audience": row[3], "medium": row[4],
            "model_version": row[5]}


def write_audience(con, settings: ScoringSettings, run: Run, audience_path: Path) -> None:
    """audience.csv: the customers in the audience, with their address from the features, highest score first."""
    audience_path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT {', '.join(churn_scores.AUDIENCE_COLUMNS)} FROM ({_scores(settings, run)}) "
                "WHERE in_audience ORDER BY score DESC, customer_id) "
                f"TO {_literal(str(audience_path))} (HEADER, DELIMITER ',')")


def backtest(con, previous_scores: Path | None) -> dict[str, Any]:
    """Scores from one label window ago against what happened since: among customers who had not churned
    then, who churned by now (label 1 today). Precision, recall and lift of the at-risk flag of then, and the
    churn rate of its control group against the customers the campaigns reached."""
    if previous_scores is None or not previous_scores.is_file():
        return {"available": False}
    row = con.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE outcome), count(*) FILTER (WHERE p.at_risk),
               count(*) FILTER (WHERE p.at_risk AND outcome),
               count(*) FILTER (WHERE p.control), count(*) FILTER (WHERE p.control AND outcome),
               count(*) FILTER (WHERE p.in_audience), count(*) FILTER (WHERE p.in_audience AND outcome),
               min(p.as_of), min(p.model_version)
        FROM (SELECT *, f.label = 1 AS outcome
              FROM read_parquet({_literal(str(previous_scores))}) s JOIN features f USING (customer_id)) p
        WHERE coalesce(p.label_at_scoring, 0) = 0""").fetchone()
    total, churned, flagged, hits, control, control_churned, reached, reached_churned, as_of, version = row
    base = churned / total if total else 0.0
    precision = hits / flagged if flagged else 0.0
    return {"available": True, "scored_on": as_of, "model_version": version, "customers": total,
            "churned": churned, "flagged": flagged, "precision": precision,
            "recall": hits / churned if churned else 0.0, "lift": precision / base if base else 0.0,
            "control_churn_rate": control_churned / control if control else None,
            "audience_churn_rate": reached_churned / reached if reached else None}


def drift(con, profile: Mapping[str, Mapping[str, Any]], histogram_files: Sequence[Path],
          top: int = 5) -> dict[str, Any]:
    """Population stability of each numeric feature against its training distribution, from the run's drift
    histogram (customers per feature and training bin, counted by Athena: contracts/churn_scoring_inputs)."""
    names = inputs.drift_features(profile)
    rows = con.execute(f"SELECT feature, bin, customers FROM read_parquet({_files(histogram_files)})").fetchall() \
        if histogram_files else []
    histograms: dict[str, dict[int, int]] = {}
    for feature, bin_, customers in rows:
        histograms.setdefault(feature, {})[int(bin_)] = int(customers)
    featured = con.execute("SELECT count(*) FROM features").fetchone()[0]
    values = {}
    for name in names:
        histogram = histograms.get(name, {})
        if sum(histogram.values()) != featured or any(not 0 <= b <= len(profile[name]["edges"]) + 1 for b in histogram):
            raise ScoringError(f"the drift histogram of {name!r} counts {sum(histogram.values())} customers in bins "
                               f"{sorted(histogram)}, the features hold {featured}; rerun the run's drift query")
        reference = profile[name]
        total = sum(histogram.values()) or 1
        values[name] = round(psi(list(reference["shares"]), [histogram.get(b, 0) / total
                                                              for b in range(len(reference["edges"]) + 2)]), 4)
    ranked = sorted(values.items(), key=lambda item: -item[1])
    return {"max_psi": ranked[0][1] if ranked else 0.0, "top": [{"feature": n, "psi": v} for n, v in ranked[:top]],
            "features": len(values)}


def score(transform_files: Sequence[Path], companion_files: Sequence[Path], histogram_files: Sequence[Path],
          meta: Mapping[str, Any], settings: ScoringSettings, run: Run, out_dir: Path,
          previous_scores: Path | None = None) -> dict[str, Any]:
    """The whole scoring step; returns the run summary and leaves scores.parquet and audience.csv in out_dir."""
    if not transform_files:
        raise ScoringError("batch transform wrote no output files; nothing was scored")
    import duckdb

    con = connect()
    profile = meta.get("profile", {})
    load_features(con, companion_files)
    types = model_types(con, meta)
    try:
        join_features(con, _transform_source(transform_files, types), float(meta["threshold"]), settings)
    except duckdb.ConversionException:
        # a name or version the model's meta lacks (or a value no type reads): text columns, as without them
        join_features(con, _transform_source(transform_files), float(meta["threshold"]), settings)
    check(con, transform_files)
    scores_path = out_dir / "scores.parquet"
    rank(con)
    write_scores(con, settings, run, scores_path)
    summary = counts(con, scores_path)
    write_audience(con, settings, run, out_dir / "audience.csv")
    summary.update(run_id=run.run_id, as_of=run.as_of, threshold=float(meta["threshold"]),
                   backtest=backtest(con, previous_scores), drift=drift(con, profile, histogram_files))
    return json.loads(json.dumps(summary))

"""Batch-transform output -> scored customers: percentile, risk band, control group, audience; backtest; drift.

Plain logic over local files, run by DuckDB (vectorised C++; the handler downloads the files first): the
transform CSV is parsed, joined to the run's features, enriched and written as the Parquet history file and the
audience CSV in one pass. The same code scores locally (tools/churn_local.py) and in Lambda.
"""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from contracts import churn_scores
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


def _csv_columns() -> str:
    types = {"score": "DOUBLE"} | {c: "DOUBLE" for c in churn_scores.TRANSFORM_COLUMNS if c.startswith("contribution")}
    return "{" + ", ".join(f"'{c}': '{types.get(c, 'VARCHAR')}'" for c in churn_scores.TRANSFORM_COLUMNS) + "}"


def _files(paths: Sequence[Path]) -> str:
    return "[" + ", ".join("'" + str(p).replace("'", "''") + "'" for p in paths) + "]"


def connect():
    import duckdb

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    return con


def load(con, transform_files: Sequence[Path], feature_files: Sequence[Path], numeric: Sequence[str]) -> None:
    """Tables `transform` (the CSV as batch transform wrote it) and `features` (the run's feature rows)."""
    if not transform_files:
        raise ScoringError("batch transform wrote no output files; nothing was scored")
    con.execute(f"CREATE TABLE transform AS SELECT * FROM read_csv({_files(transform_files)}, header = false, "
                f"columns = {_csv_columns()}, quote = '\"', escape = '\"', auto_detect = false)")
    numeric_columns = "".join(f", '{c}': 'DOUBLE'" for c in numeric)
    con.execute(f"CREATE TABLE features AS SELECT * FROM read_json({_files(feature_files)}, "
                f"format = 'newline_delimited', compression = 'auto', columns = {{'customer_id': 'VARCHAR', "
                f"'address': 'VARCHAR', 'label': 'VARCHAR'{numeric_columns}}})")
    scored, distinct, featured = con.execute(
        "SELECT (SELECT count(*) FROM transform), (SELECT count(DISTINCT customer_id) FROM transform), "
        "(SELECT count(*) FROM features)").fetchone()
    if scored == 0:
        raise ScoringError("batch transform output is empty; the feature query returned no customers")
    if distinct != scored:
        raise ScoringError(f"batch transform output has {scored - distinct} duplicate customer ids")
    if scored != featured:
        raise ScoringError(f"batch transform scored {scored} customers but the features hold {featured}")


def enrich(con, threshold: float, settings: ScoringSettings, run: Run) -> None:
    """View `scored`: one row per customer in the contract's SCORE_COLUMNS (+ address); `write_outputs` runs it
    once into the Parquet file and reads everything else from that file."""
    structs = ", ".join(f"{{'feature': feature_{i}, 'contribution': contribution_{i}}}"
                        for i in range(1, churn_scores.TOP_FEATURES + 1))
    # inference pads missing top features at the end, so the non-empty ones are a prefix of the list
    present = " + ".join(f"(coalesce(feature_{i}, '') <> '')::INTEGER" for i in range(1, churn_scores.TOP_FEATURES + 1))
    salt = settings.control_salt.replace("'", "''")
    fraction = repr(float(settings.control_fraction))
    con.execute(f"""
        CREATE VIEW scored AS
        WITH ranked AS (
          SELECT t.*, f.address, TRY_CAST(f.label AS INTEGER) AS label_at_scoring,
                 percent_rank() OVER (ORDER BY t.score) AS percentile,
                 t.score >= {float(threshold)!r} AS at_risk
          FROM transform t JOIN features f USING (customer_id)),
        drawn AS (
          -- control_unit() of contracts/churn_scores (52 bits of sha256(salt:customer_id) in [0, 1)), drawn only
          -- for at-risk customers: the only ones a control group is taken from
          SELECT *, CASE WHEN at_risk THEN (('0x' || substr(sha256('{salt}:' || customer_id), 1, 13))::BIGINT)
                                             / 4503599627370496.0 < {fraction} ELSE false END AS control
          FROM ranked)
        SELECT customer_id, score, percentile,
               CASE WHEN at_risk THEN 'high' WHEN percentile >= {settings.medium_percentile!r} THEN 'medium'
                    ELSE 'low' END AS risk_band,
               at_risk, control, at_risk AND NOT control AS in_audience,
               list_slice([{structs}], 1, {present}) AS top_features,
               model_version, '{run.run_id}' AS run_id, '{run.as_of}' AS as_of, label_at_scoring, address
        FROM drawn""")


def write_outputs(con, scores_path: Path, audience_path: Path) -> None:
    """scores.parquet (the contract's columns: no address) and audience.csv (the few customers in the audience,
    with their address from the features); afterwards `scored` reads the Parquet file, evaluated once."""
    columns = ", ".join(name for name, _ in churn_scores.SCORE_COLUMNS)
    scores_path.parent.mkdir(parents=True, exist_ok=True)
    audience_path.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"COPY (SELECT {columns} FROM scored) TO '{scores_path}' (FORMAT parquet, COMPRESSION snappy)")
    con.execute(f"CREATE OR REPLACE VIEW scored AS SELECT * FROM read_parquet('{scores_path}')")
    audience = ", ".join(f"s.{c}" if c != "address" else "f.address" for c in churn_scores.AUDIENCE_COLUMNS)
    con.execute(f"COPY (SELECT {audience} FROM scored s JOIN features f USING (customer_id) WHERE s.in_audience "
                f"ORDER BY s.score DESC, s.customer_id) TO '{audience_path}' (HEADER, DELIMITER ',')")


def counts(con) -> dict[str, Any]:
    row = con.execute("SELECT count(*), count(*) FILTER (WHERE at_risk), count(*) FILTER (WHERE control), "
                      "count(*) FILTER (WHERE in_audience), count(*) FILTER (WHERE risk_band = 'medium'), "
                      "min(model_version), max(model_version) FROM scored").fetchone()
    if row[5] != row[6]:
        raise ScoringError(f"scores come from two model versions ({row[5]}, {row[6]}); rerun the transform")
    return {"scored": row[0], "at_risk": row[1], "control": row[2], "audience": row[3], "medium": row[4],
            "model_version": row[5]}


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
        FROM (SELECT *, TRY_CAST(f.label AS INTEGER) = 1 AS outcome
              FROM read_parquet('{previous_scores}') s JOIN features f USING (customer_id)) p
        WHERE coalesce(p.label_at_scoring, 0) = 0""").fetchone()
    total, churned, flagged, hits, control, control_churned, reached, reached_churned, as_of, version = row
    base = churned / total if total else 0.0
    precision = hits / flagged if flagged else 0.0
    return {"available": True, "scored_on": as_of, "model_version": version, "customers": total,
            "churned": churned, "flagged": flagged, "precision": precision,
            "recall": hits / churned if churned else 0.0, "lift": precision / base if base else 0.0,
            "control_churn_rate": control_churned / control if control else None,
            "audience_churn_rate": reached_churned / reached if reached else None}


def drift(con, profile: Mapping[str, Mapping[str, Any]], top: int = 5) -> dict[str, Any]:
    """Population stability of each numeric feature against its training distribution."""
    columns = {row[0] for row in con.execute("DESCRIBE features").fetchall()}
    values = {}
    for name, reference in profile.items():
        if name not in columns:
            continue
        edges = "[" + ", ".join(repr(float(e)) for e in reference["edges"]) + "]::DOUBLE[]"
        bins = len(reference["edges"]) + 1
        rows = dict(con.execute(
            f'SELECT CASE WHEN "{name}" IS NULL THEN {bins} ELSE len(list_filter({edges}, lambda e: e <= "{name}")) '
            f'END AS bin, count(*) FROM features GROUP BY bin').fetchall())
        total = sum(rows.values()) or 1
        values[name] = round(psi(list(reference["shares"]), [rows.get(b, 0) / total for b in range(bins + 1)]), 4)
    ranked = sorted(values.items(), key=lambda item: -item[1])
    return {"max_psi": ranked[0][1] if ranked else 0.0, "top": [{"feature": n, "psi": v} for n, v in ranked[:top]],
            "features": len(values)}


def score(transform_files: Sequence[Path], feature_files: Sequence[Path], meta: Mapping[str, Any],
          settings: ScoringSettings, run: Run, out_dir: Path, previous_scores: Path | None = None) -> dict[str, Any]:
    """The whole scoring step; returns the run summary and leaves scores.parquet and audience.csv in out_dir."""
    con = connect()
    numeric = [n for n in meta.get("profile", {}) if "=" not in n]
    load(con, transform_files, feature_files, numeric)
    enrich(con, float(meta["threshold"]), settings, run)
    write_outputs(con, out_dir / "scores.parquet", out_dir / "audience.csv")
    summary = counts(con)
    summary.update(run_id=run.run_id, as_of=run.as_of, threshold=float(meta["threshold"]),
                   backtest=backtest(con, previous_scores), drift=drift(con, meta.get("profile", {})))
    return json.loads(json.dumps(summary))

"""The churn score contract: what batch inference emits, what a scored customer is, where it is written.

Producers and consumers import this one module: the inference code (SageMaker batch transform, and the local
scorer) writes `TRANSFORM_COLUMNS` as CSV; the post-processing Lambda reads them and writes `SCORE_COLUMNS`
as Parquet (history and latest/, behind the Glue tables) and `profile_attributes()` into the profile store.

Pure Python with no third-party imports (the Lambda, the SageMaker container and the tools all import it).
"""
from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence
from typing import Any

NAMESPACE = "predictive_segmentation"  # the profile store namespace this solution owns
TOP_FEATURES = 3
TRANSFORM_COLUMNS: tuple[str, ...] = ("customer_id", "score", "model_version") + tuple(
    f"{kind}_{i}" for i in range(1, TOP_FEATURES + 1) for kind in ("feature", "contribution"))
RISK_BANDS = ("high", "medium", "low")

# Columns of the scores Parquet files and their Glue (Hive) types; `dt` is the history partition, not a column.
SCORE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("customer_id", "string"), ("score", "double"), ("percentile", "double"), ("risk_band", "string"),
    ("at_risk", "boolean"), ("control", "boolean"), ("in_audience", "boolean"),
    ("top_features", "array<struct<feature:string,contribution:double>>"), ("model_version", "string"),
    ("run_id", "string"), ("as_of", "string"), ("label_at_scoring", "int"))

# S3 layout of the solution bucket, relative to the bucket root.
HISTORY_PREFIX = "scores/history/"        # scores/history/dt=YYYY-MM-DD/scores.parquet
LATEST_KEY = "scores/latest/scores.parquet"
AUDIENCE_HISTORY_PREFIX = "audience/history/"  # audience/history/dt=YYYY-MM-DD/audience.csv
AUDIENCE_LATEST_KEY = "audience/latest/audience.csv"
AUDIENCE_COLUMNS = ("customer_id", "address", "score", "percentile", "risk_band", "model_version", "as_of")
CURRENT_META_KEY = "models/current/meta.json"      # the active version, its SageMaker Model, threshold
CANDIDATES_PREFIX = "models/candidates/"           # training jobs write here; promotion copies to current/
REGISTRY_PREFIX = "models/registry/"               # models/registry/<version>/{meta.json,gate.json,report...}
RUNS_PREFIX = "runs/"                              # scratch, expired by a lifecycle rule


def run_prefixes(run_id: str) -> dict[str, str]:
    """Where one run keeps its scratch data (feature files, transform output, training features, and what the
    scoring step reads besides the transform output: contracts/churn_scoring_inputs)."""
    base = f"{RUNS_PREFIX}{run_id}/"
    return {"features": f"{base}features/", "transform": f"{base}transform/", "training": f"{base}training/",
            "companion": f"{base}companion/", "drift": f"{base}drift/"}


class ScoreError(ValueError):
    pass


def history_key(as_of: str) -> str:
    return f"{HISTORY_PREFIX}dt={as_of}/scores.parquet"


def audience_history_key(as_of: str) -> str:
    return f"{AUDIENCE_HISTORY_PREFIX}dt={as_of}/audience.csv"


def control_unit(customer_id: str, salt: str) -> float:
    """A stable number in [0, 1) per customer: the same customer stays in (or out of) the control group on
    every run and every model, until the salt changes. 52 bits of sha256, exact in a double."""
    digest = hashlib.sha256(f"{salt}:{customer_id}".encode()).hexdigest()
    return int(digest[:13], 16) / float(16 ** 13)


def is_control(customer_id: str, salt: str, fraction: float) -> bool:
    return control_unit(customer_id, salt) < fraction


def risk_band(score: float, percentile: float, threshold: float, medium_percentile: float) -> str:
    """high: at or above the model's threshold (the at-risk audience); medium: in the top share of the
    population by score without reaching the threshold; low: the rest."""
    if score >= threshold:
        return "high"
    return "medium" if percentile >= medium_percentile else "low"


def parse_transform_row(row: Sequence[str]) -> dict[str, Any]:
    """One CSV row of batch-transform output -> customer id, score, version, top features (bad rows raise)."""
    if len(row) != len(TRANSFORM_COLUMNS):
        raise ScoreError(f"transform output row has {len(row)} fields, expected {len(TRANSFORM_COLUMNS)}")
    score = float(row[1])
    if not 0.0 <= score <= 1.0 or math.isnan(score):
        raise ScoreError(f"score {row[1]!r} of customer {row[0]!r} is not a probability")
    top = [{"feature": row[3 + 2 * i], "contribution": float(row[4 + 2 * i])}
           for i in range(TOP_FEATURES) if row[3 + 2 * i]]
    return {"customer_id": row[0], "score": score, "model_version": row[2], "top_features": top}


def transform_row(customer_id: str, score: float, model_version: str,
                  contributions: Sequence[tuple[str, float]]) -> list[str]:
    """The CSV fields inference writes for one customer (top contributions first, padded to TOP_FEATURES)."""
    fields = [customer_id, f"{score:.6f}", model_version]
    for i in range(TOP_FEATURES):
        if i < len(contributions):
            fields += [contributions[i][0], f"{contributions[i][1]:.6f}"]
        else:
            fields += ["", ""]
    return fields


def profile_attributes(record: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes this solution keeps per customer in the profile store (its own namespace)."""
    return {"churn_score": round(float(record["score"]), 6), "churn_percentile": round(float(record["percentile"]), 4),
            "churn_risk_band": record["risk_band"], "churn_at_risk": bool(record["at_risk"]),
            "churn_control": bool(record["control"]), "churn_in_audience": bool(record["in_audience"]),
            "churn_top_features": [dict(f) for f in record.get("top_features") or []],
            "churn_model_version": record["model_version"], "churn_as_of": record["as_of"]}

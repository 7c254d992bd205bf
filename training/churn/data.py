"""Feature rows in, checked and encoded: label validation, data sufficiency, one encoding for train and serve.

Rows are what the feature query returns (contracts/churn_features): JSON lines from Athena UNLOAD in AWS (gzip
or not), dicts from DuckDB locally. Categorical attributes are one-hot encoded over the categories seen in
training (the rest go to `<column>=__other__`); the vocabulary is saved with the model, so inference encodes a
row exactly as training did.
"""
from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from contracts.churn_features import ID_COLUMN, LABEL_COLUMN, FeatureSpec

OTHER = "__other__"
MAX_CATEGORIES = 20
POSITIVE = {"1", "1.0", "true", "yes"}
NEGATIVE = {"0", "0.0", "false", "no"}


class DataError(ValueError):
    """Training data that cannot give a trustworthy model; the message says what is wrong and the fix."""


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Every JSON-lines file under `path` (a file or a folder; gzip detected by its magic bytes)."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()
                                                   and not p.name.startswith((".", "_")))
    if not files:
        raise DataError(f"no feature files under {path}; the feature query returned nothing")
    rows = []
    for file in files:
        raw = file.read_bytes()
        text = gzip.decompress(raw).decode() if raw[:2] == b"\x1f\x8b" else raw.decode()
        rows.extend(json.loads(line) for line in text.splitlines() if line.strip())
    return rows


def labels(rows: Sequence[Mapping[str, Any]], label_column: str) -> np.ndarray:
    """0/1 labels; any other value stops training with the values found and the column they came from."""
    values, bad = [], Counter()
    for row in rows:
        text = str(row.get(LABEL_COLUMN)).strip().lower()
        if text in POSITIVE:
            values.append(1)
        elif text in NEGATIVE:
            values.append(0)
        else:
            bad[row.get(LABEL_COLUMN)] += 1
    if bad:
        shown = ", ".join(f"{value!r} ({count}x)" for value, count in bad.most_common(5))
        raise DataError(f"label column {label_column!r} must hold 0 or 1, found {shown}; fix the attributes file "
                        "or point predictiveSegmentationLabelColumn at the churn flag")
    return np.asarray(values, dtype=np.float32)


@dataclass(frozen=True)
class Sufficiency:
    minimum_positives: int = 25
    minimum_negatives: int = 100

    def check(self, y: np.ndarray, rows: Sequence[Mapping[str, Any]], spec: FeatureSpec) -> None:
        if not rows:
            raise DataError("the feature query returned no customers; check the attributes table and its location")
        positives, negatives = int(y.sum()), int(len(y) - y.sum())
        if positives < self.minimum_positives:
            raise DataError(f"only {positives} churned customers (label 1); training needs at least "
                            f"{self.minimum_positives} (predictiveSegmentationMinimumPositives) to be trusted")
        if negatives < self.minimum_negatives:
            raise DataError(f"only {negatives} retained customers (label 0); training needs at least "
                            f"{self.minimum_negatives} (predictiveSegmentationMinimumNegatives)")
        activity = [c for c in spec.activity_features if "_count_" in c]
        if not any(any((row.get(c) or 0) > 0 for c in activity) for row in rows):
            raise DataError(f"no customer has any engagement event in the {spec.history_days} days before the "
                            "training as_of; the events database needs history of at least the label window plus "
                            "the longest feature window")


@dataclass
class Encoder:
    spec: FeatureSpec
    categories: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def fit(cls, rows: Iterable[Mapping[str, Any]], spec: FeatureSpec) -> Encoder:
        counts: dict[str, Counter] = {c: Counter() for c in spec.categorical_features}
        for row in rows:
            for column in counts:
                counts[column][str(row.get(column))] += 1
        return cls(spec, {c: sorted(v for v, _ in counter.most_common(MAX_CATEGORIES)) for c, counter in counts.items()})

    @property
    def feature_names(self) -> list[str]:
        names = []
        for column in self.spec.feature_columns:
            if column in self.categories:
                names += [f"{column}={value}" for value in self.categories[column]] + [f"{column}={OTHER}"]
            else:
                names.append(column)
        return names

    def transform(self, rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """A float32 matrix; missing or non-numeric values are NaN, which XGBoost treats as missing."""
        names = self.feature_names
        index = {name: i for i, name in enumerate(names)}
        matrix = np.full((len(rows), len(names)), np.nan, dtype=np.float32)
        for r, row in enumerate(rows):
            for column in self.spec.feature_columns:
                value = row.get(column)
                if column in self.categories:
                    text = str(value)
                    matrix[r, index[f"{column}={text if text in self.categories[column] else OTHER}"]] = 1.0
                    for other in self.categories[column] + [OTHER]:
                        position = index[f"{column}={other}"]
                        if math.isnan(matrix[r, position]):
                            matrix[r, position] = 0.0
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    matrix[r, index[column]] = float(value)
        return matrix

    def to_json(self) -> dict[str, Any]:
        return {"categories": self.categories}

    @classmethod
    def from_json(cls, data: Mapping[str, Any], spec: FeatureSpec) -> Encoder:
        return cls(spec, {k: list(v) for k, v in data["categories"].items()})


def customer_ids(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    return [str(row[ID_COLUMN]) for row in rows]


def feature_profile(matrix: np.ndarray, names: Sequence[str], bins: int = 10) -> dict[str, dict[str, Any]]:
    """Per feature: quantile bin edges and the share of rows per bin (plus missing), the reference that scoring
    runs compare against (population stability index) to report drift."""
    profile = {}
    for j, name in enumerate(names):
        column = matrix[:, j]
        present = column[~np.isnan(column)]
        edges = sorted(set(np.quantile(present, np.linspace(0, 1, bins + 1)[1:-1]).round(6).tolist())) \
            if len(present) else []
        shares = bin_shares(column, edges)
        profile[name] = {"edges": edges, "shares": shares, "mean": float(present.mean()) if len(present) else None}
    return profile


def bin_shares(column: np.ndarray, edges: Sequence[float]) -> list[float]:
    """Share of values per bin (right-open edges), the last entry being the share of missing values."""
    column = np.asarray(column, dtype=float)
    present = column[~np.isnan(column)]
    counts = np.bincount(np.searchsorted(np.asarray(edges), present, side="right"), minlength=len(edges) + 1)
    total = max(len(column), 1)
    return [float(c) / total for c in counts] + [float(np.isnan(column).sum()) / total]


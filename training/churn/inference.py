"""Batch inference: JSON-lines feature rows in, CSV scores with the top contributing features out.

SageMaker batch transform loads this module from the model's `code/` folder (SAGEMAKER_PROGRAM=inference.py)
and calls model_fn / input_fn / predict_fn / output_fn per mini-batch of lines. `score_rows` is the same path
for local runs and tests, so the CSV the post-processing reads is produced by the code that runs in AWS.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from contracts import churn_scores
from contracts.churn_features import ID_COLUMN, FeatureSpec

from .data import Encoder

MODEL_FILE, META_FILE = "model.ubj", "meta.json"


@dataclass
class LoadedModel:
    booster: Any
    encoder: Encoder
    meta: dict[str, Any]


def model_fn(model_dir: str) -> LoadedModel:
    import xgboost as xgb

    folder = Path(model_dir)
    meta = json.loads((folder / META_FILE).read_text())
    booster = xgb.Booster()
    booster.load_model(str(folder / MODEL_FILE))
    spec = FeatureSpec.from_json(meta["feature_spec"])
    return LoadedModel(booster, Encoder.from_json(meta["encoder"], spec), meta)


def input_fn(body: bytes | str, content_type: str = "application/jsonlines") -> list[dict[str, Any]]:
    if content_type.split(";")[0].strip() not in ("application/jsonlines", "application/json", "text/plain"):
        raise ValueError(f"content type {content_type!r} is not supported; send JSON lines")
    text = body.decode() if isinstance(body, bytes) else body
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def predict_fn(rows: Sequence[Mapping[str, Any]], model: LoadedModel) -> list[list[str]]:
    import xgboost as xgb

    if not rows:
        return []
    matrix = xgb.DMatrix(model.encoder.transform(rows), feature_names=model.meta["feature_names"])
    scores = model.booster.predict(matrix)
    contributions = model.booster.predict(matrix, pred_contribs=True)[:, :-1]
    names = model.meta["feature_names"]
    out = []
    for row, score, contribution in zip(rows, scores, contributions):
        order = np.argsort(-np.abs(contribution))[: churn_scores.TOP_FEATURES]
        top = [(names[j], float(contribution[j])) for j in order if contribution[j] != 0]
        out.append(churn_scores.transform_row(str(row[ID_COLUMN]), float(score), model.meta["model_version"], top))
    return out


def output_fn(prediction: Sequence[Sequence[str]], accept: str = "text/csv") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerows(prediction)
    return buffer.getvalue()


def score_rows(model_dir: Path, rows: Sequence[Mapping[str, Any]], batch: int = 5000) -> str:
    """What batch transform writes for these rows (mini-batches assembled line by line)."""
    model = model_fn(str(model_dir))
    return "".join(output_fn(predict_fn(rows[i:i + batch], model)) for i in range(0, len(rows), batch))

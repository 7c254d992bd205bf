"""Batch inference: the CSV that batch transform writes is what the contract parses, with top features."""
from __future__ import annotations

import csv
import io

from contracts import churn_scores
from training.churn.inference import input_fn, model_fn, output_fn, predict_fn, score_rows
from training.churn.train import TrainingSettings, fit, save


def test_scores_follow_the_transform_contract(rows, spec, tmp_path):
    booster, encoder, evaluation, gate = fit(rows, spec, TrainingSettings(), "v-inf")
    save(booster, encoder, evaluation, gate, TrainingSettings(), tmp_path / "model", tmp_path / "out")
    body = "".join(__import__("json").dumps(r) + "\n" for r in rows[:50])
    text = score_rows(tmp_path / "model", input_fn(body.encode()))
    parsed = [churn_scores.parse_transform_row(r) for r in csv.reader(io.StringIO(text))]
    assert [p["customer_id"] for p in parsed] == [r["customer_id"] for r in rows[:50]]
    assert all(p["model_version"] == "v-inf" and 0 <= p["score"] <= 1 for p in parsed)
    assert all(1 <= len(p["top_features"]) <= 3 for p in parsed)
    model = model_fn(str(tmp_path / "model"))
    direct = booster.predict(__import__("xgboost").DMatrix(encoder.transform(rows[:50]),
                                                            feature_names=encoder.feature_names))
    assert [round(p["score"], 6) for p in parsed] == [round(float(s), 6) for s in direct]
    assert output_fn(predict_fn([], model)) == ""


def test_an_id_with_a_comma_survives_the_csv(rows, spec, tmp_path):
    booster, encoder, evaluation, gate = fit(rows, spec, TrainingSettings(), "v-inf")
    save(booster, encoder, evaluation, gate, TrainingSettings(), tmp_path / "model", tmp_path / "out")
    odd = dict(rows[0], customer_id='Smith, "Jr"\u00e9')
    text = score_rows(tmp_path / "model", [odd])
    assert churn_scores.parse_transform_row(next(csv.reader(io.StringIO(text))))["customer_id"] == odd["customer_id"]

"""The training program: data checks, imbalance, threshold on validation data, the gate, the saved model and
report, and the SageMaker entry point's options."""
from __future__ import annotations

import json

import numpy as np
import pytest

from training.churn import metrics
from training.churn.data import DataError, Sufficiency, labels
from training.churn.train import TrainingSettings, fit, main, save, split

from churn_rows import make_rows

FLOOR = 0.45  # the PR-AUC this planted signal must clear on the hold-out


def test_training_on_the_planted_signal_clears_the_stated_floor(rows, spec):
    _, _, evaluation, gate = fit(rows, spec, TrainingSettings(), "v-test")
    assert evaluation["pr_auc"] >= FLOOR and evaluation["roc_auc"] >= 0.8
    assert gate["passed"] and gate["reasons"] == []
    assert evaluation["split"] == {"train": 900, "validation": 300, "holdout": 300}
    assert evaluation["params"]["scale_pos_weight"] == pytest.approx(np.sqrt(
        (900 - evaluation["positives"] * 0.6) / (evaluation["positives"] * 0.6)), rel=0.05)
    assert evaluation["lift"][0]["lift"] > 3  # the top decile holds several times the base rate
    assert evaluation["top_features"][0]["feature"].startswith(("days_since", "open_count"))


def test_threshold_comes_from_validation_precision(rows, spec):
    _, _, evaluation, _ = fit(rows, spec, TrainingSettings(threshold_strategy="precision", threshold_target=0.8),
                              "v-test")
    assert evaluation["at_threshold"]["threshold"] == evaluation["threshold"]
    assert evaluation["at_threshold"]["precision"] >= 0.6  # on the hold-out, near the validation target


def test_top_k_strategy_flags_the_share_asked_for(rows, spec):
    _, _, evaluation, _ = fit(rows, spec, TrainingSettings(threshold_strategy="top_k", threshold_target=0.1),
                              "v-test")
    assert 20 <= evaluation["at_threshold"]["flagged"] <= 40  # about 10 % of the 300 hold-out customers


def test_gate_refuses_a_model_below_the_floor(spec):
    noise = make_rows(1500, signal=0.0)  # labels unrelated to engagement
    _, _, evaluation, gate = fit(noise, spec, TrainingSettings(minimum_pr_auc=0.5), "v-noise")
    assert not gate["passed"] and "below the floor 0.5" in gate["reasons"][0]
    assert evaluation["pr_auc"] < 0.5


@pytest.mark.parametrize("change, message", [
    (lambda rs: [dict(r, label="0") if r["label"] == "1" and i % 10 else r for i, r in enumerate(rs)],
     r"churned customers \(label 1\); training needs at least 25"),
    (lambda rs: [dict(r, label="yes please") if i == 3 else r for i, r in enumerate(rs)], "must hold 0 or 1"),
    (lambda rs: [], "no customers"),
    (lambda rs: [{**r, **{k: 0 for k in r if k.endswith("d") and "_count_" in k}} for r in rs],
     "no customer has any engagement event"),
])
def test_bad_data_is_refused_before_training(spec, change, message):
    with pytest.raises(DataError, match=message):
        fit(change(make_rows(600)), spec, TrainingSettings(), "v-bad")


def test_split_is_stratified_and_disjoint():
    y = np.array([1] * 50 + [0] * 950)
    train, validation, test = split(y, 7)
    assert len(set(train) | set(validation) | set(test)) == 1000
    assert [int(y[p].sum()) for p in (train, validation, test)] == [30, 10, 10]


def test_average_precision_matches_a_hand_computed_ranking():
    y = np.array([1, 0, 1, 0, 0])
    p = np.array([0.9, 0.8, 0.7, 0.2, 0.1])
    assert metrics.pr_auc(y, p) == pytest.approx((1 / 1 + 2 / 3) / 2)
    assert metrics.roc_auc(y, p) == pytest.approx(5 / 6)


def test_labels_accept_the_usual_spellings_of_true_and_false():
    assert labels([{"label": v} for v in ("1", "0", "true", "False", "1.0")], "churn").tolist() == [1, 0, 1, 0, 1]


def test_saved_model_has_meta_gate_code_and_a_report_with_pictures(rows, spec, tmp_path):
    booster, encoder, evaluation, gate = fit(rows, spec, TrainingSettings(), "v-save")
    save(booster, encoder, evaluation, gate, TrainingSettings(), tmp_path / "model", tmp_path / "out")
    meta = json.loads((tmp_path / "model" / "meta.json").read_text())
    assert meta["model_version"] == "v-save" and meta["threshold"] == evaluation["threshold"]
    assert "channeltype=EMAIL" in meta["feature_names"] and meta["profile"]["days_since_open"]["edges"]
    assert (tmp_path / "model" / "code" / "inference.py").is_file()
    assert (tmp_path / "model" / "code" / "contracts" / "churn_scores.py").is_file()
    for picture in ("roc.svg", "pr.svg", "lift.svg", "calibration.svg", "top_features.svg"):
        assert (tmp_path / "out" / picture).read_text().startswith("<svg")
    report = (tmp_path / "out" / "report.html").read_text()
    assert "Quality gate: PROMOTED" in report and "Lift by decile" in report
    assert json.loads((tmp_path / "out" / "gate.json").read_text())["passed"] is True


def test_entry_point_takes_sagemaker_style_options_and_reports_refusals(rows, spec, tmp_path, capsys):
    folder = tmp_path / "train"
    folder.mkdir()
    (folder / "part-0").write_text("".join(json.dumps(r) + "\n" for r in rows))
    argv = ["--train", str(folder), "--model-dir", str(tmp_path / "m"), "--output-dir", str(tmp_path / "o"),
            "--feature-spec", json.dumps(spec.to_json()), "--model-version", "v-cli", "--minimum-positives", "9999",
            "--sagemaker_program", "train.py"]
    assert main(argv) == 2
    assert "training needs at least 9999" in capsys.readouterr().err
    assert main(argv[:-4]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["gate"] == "passed"


def test_sufficiency_defaults_match_the_stack_defaults():
    from components.config import PredictiveSegmentationSettings

    settings = PredictiveSegmentationSettings()
    assert (Sufficiency().minimum_positives, Sufficiency().minimum_negatives) == (
        settings.minimum_positives, settings.minimum_negatives)
    assert TrainingSettings().minimum_pr_auc == settings.minimum_pr_auc_percent / 100

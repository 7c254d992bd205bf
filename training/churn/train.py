"""Train, evaluate and gate the churn model; the same program locally and as a SageMaker training job.

    python -m training.churn.train --train out/features-train --model-dir out/model --output-dir out/eval \
        --feature-spec "$(cat spec.json)" --model-version 20260301T000000Z-local

In SageMaker (script mode, managed XGBoost container) the hyperparameters arrive as the same options and the
folders as SM_CHANNEL_TRAIN, SM_MODEL_DIR and SM_OUTPUT_DATA_DIR. The split is stratified 60/20/20: the model
is fitted on the first part with early stopping on the second, the threshold is chosen on the second, and every
reported figure and the quality gate use the third, which training never saw. The gate's verdict is written to
gate.json next to the model; the promotion step (locally: tools, in AWS: the promote Lambda) acts on it, so a
model below the floor is never promoted and the previous one stays in service.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from contracts.churn_features import FeatureSpec

from . import metrics, report
from .data import DataError, Encoder, Sufficiency, customer_ids, feature_profile, labels, read_rows

SOURCE_ROOT = Path(__file__).resolve().parents[2]
MODEL_FILE, META_FILE = "model.ubj", "meta.json"


@dataclass(frozen=True)
class TrainingSettings:
    threshold_strategy: str = "precision"
    threshold_target: float = 0.5
    top_k_fraction: float = 0.05
    minimum_pr_auc: float = 0.3
    sufficiency: Sufficiency = Sufficiency()
    seed: int = 1729
    num_round: int = 400
    max_depth: int = 4
    eta: float = 0.1
    min_child_weight: float = 1.0


def split(y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stratified 60/20/20 index split: each part keeps the churn rate, so rare positives land in all three."""
    rng = np.random.default_rng(seed)
    parts: list[list[int]] = [[], [], []]
    for value in (0, 1):
        index = rng.permutation(np.where(y == value)[0])
        cut1, cut2 = int(round(len(index) * 0.6)), int(round(len(index) * 0.8))
        for part, chunk in zip(parts, (index[:cut1], index[cut1:cut2], index[cut2:])):
            part.extend(chunk.tolist())
    return tuple(np.sort(np.asarray(p, dtype=int)) for p in parts)  # type: ignore[return-value]


def fit(rows: Sequence[Mapping[str, Any]], spec: FeatureSpec, settings: TrainingSettings,
        model_version: str) -> tuple[Any, Encoder, dict[str, Any], dict[str, Any]]:
    """(booster, encoder, evaluation, gate) from feature rows; DataError when the data cannot be trusted."""
    import xgboost as xgb

    y = labels(rows, spec.attributes.label_column)
    settings.sufficiency.check(y, rows, spec)
    train, validation, test = split(y, settings.seed)
    for name, part in (("validation", validation), ("hold-out", test)):
        if y[part].sum() == 0:
            raise DataError(f"the {name} part has no churned customer; more positives are needed")
    encoder = Encoder.fit([rows[i] for i in train], spec)
    x = encoder.transform(rows)
    names = encoder.feature_names
    negatives, positives = float(len(train) - y[train].sum()), float(y[train].sum())
    params = {"objective": "binary:logistic", "eval_metric": "aucpr", "max_depth": settings.max_depth,
              "eta": settings.eta, "min_child_weight": settings.min_child_weight, "subsample": 0.8,
              "colsample_bytree": 0.8, "tree_method": "hist", "seed": settings.seed, "nthread": os.cpu_count() or 1,
              # Rare churners: weight positives by sqrt(neg/pos), a middle ground between no weighting (the
              # model rarely ranks positives first) and full weighting (scores far from probabilities).
              "scale_pos_weight": math.sqrt(negatives / positives)}
    dtrain = xgb.DMatrix(x[train], label=y[train], feature_names=names)
    dvalid = xgb.DMatrix(x[validation], label=y[validation], feature_names=names)
    booster = xgb.train(params, dtrain, num_boost_round=settings.num_round, evals=[(dvalid, "validation")],
                        early_stopping_rounds=40, verbose_eval=False)
    rounds = (0, booster.best_iteration + 1)
    p_valid = booster.predict(dvalid, iteration_range=rounds)
    threshold = metrics.choose_threshold(y[validation], p_valid, settings.threshold_strategy,
                                         settings.threshold_target)
    dtest = xgb.DMatrix(x[test], label=y[test], feature_names=names)
    p_test = booster.predict(dtest, iteration_range=rounds)
    contributions = booster.predict(dtest, pred_contribs=True, iteration_range=rounds)[:, :-1]
    importance = np.abs(contributions).mean(axis=0)
    evaluation = {
        "model_version": model_version, "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "xgboost_version": xgb.__version__, "best_iteration": int(booster.best_iteration),
        "customers": len(rows), "positives": int(y.sum()),
        "split": {"train": len(train), "validation": len(validation), "holdout": len(test)},
        "holdout": {"customers": len(test), "positives": int(y[test].sum()), "base_rate": float(y[test].mean())},
        "roc_auc": metrics.roc_auc(y[test], p_test), "pr_auc": metrics.pr_auc(y[test], p_test),
        "validation_pr_auc": metrics.pr_auc(y[validation], p_valid),
        "threshold_strategy": f"{settings.threshold_strategy} {settings.threshold_target}",
        "at_threshold": metrics.at_threshold(y[test], p_test, threshold),
        "at_top_k": metrics.at_top_k(y[test], p_test, settings.top_k_fraction),
        "lift": metrics.lift_table(y[test], p_test), "calibration": metrics.calibration(y[test], p_test),
        "curves": metrics.curves(y[test], p_test),
        "top_features": sorted(({"feature": n, "importance": float(v)} for n, v in zip(names, importance)),
                               key=lambda f: -f["importance"]),
        "params": {k: v for k, v in params.items() if k != "nthread"},
        "profile": feature_profile(x[train], names), "threshold": threshold,
    }
    gate = decide(evaluation, settings)
    booster = booster[: rounds[1]]  # keep the trees up to the best iteration only
    return booster, encoder, evaluation, gate


def decide(evaluation: Mapping[str, Any], settings: TrainingSettings) -> dict[str, Any]:
    """The quality gate: PR-AUC on the hold-out at or above the floor, and enough churners to measure it."""
    reasons = []
    if not evaluation["pr_auc"] >= settings.minimum_pr_auc:
        reasons.append(f"hold-out PR-AUC {evaluation['pr_auc']:.3f} is below the floor {settings.minimum_pr_auc} "
                       "(predictiveSegmentationMinimumPrAuc)")
    if evaluation["positives"] < settings.sufficiency.minimum_positives:
        reasons.append(f"{evaluation['positives']} churned customers, fewer than "
                       f"{settings.sufficiency.minimum_positives}")
    return {"passed": not reasons, "reasons": reasons, "model_version": evaluation["model_version"],
            "pr_auc": evaluation["pr_auc"], "minimum_pr_auc": settings.minimum_pr_auc,
            "roc_auc": evaluation["roc_auc"], "threshold": evaluation["threshold"]}


def save(booster: Any, encoder: Encoder, evaluation: Mapping[str, Any], gate: Mapping[str, Any],
         settings: TrainingSettings, model_dir: Path, output_dir: Path) -> None:
    """The model folder (model, meta.json, gate.json, code/ for network-isolated inference) and the report."""
    model_dir.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(model_dir / MODEL_FILE))
    meta = {"model_version": evaluation["model_version"], "feature_spec": encoder.spec.to_json(),
            "encoder": encoder.to_json(), "feature_names": encoder.feature_names,
            "threshold": evaluation["threshold"], "top_k_fraction": settings.top_k_fraction,
            "profile": evaluation["profile"], "xgboost_version": evaluation["xgboost_version"],
            "pr_auc": evaluation["pr_auc"], "roc_auc": evaluation["roc_auc"], "trained_at": evaluation["trained_at"]}
    (model_dir / META_FILE).write_text(json.dumps(meta, sort_keys=True))
    (model_dir / "gate.json").write_text(json.dumps(gate, sort_keys=True))
    copy_code(model_dir / "code")
    public = {k: v for k, v in evaluation.items() if k != "profile"}
    report.write(public, gate, output_dir)


def copy_code(target: Path) -> None:
    """SageMaker serves the model with `code/inference.py`; network isolation forbids fetching it at run time."""
    if target.exists():
        shutil.rmtree(target)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in ("training", "contracts"):
        shutil.copytree(SOURCE_ROOT / package, target / package, ignore=ignore)
    (target / "inference.py").write_text("from training.churn.inference import input_fn, model_fn, output_fn, "
                                         "predict_fn  # noqa: F401 (SageMaker looks these up)\n")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m training.churn.train", description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=Path(os.environ.get("SM_CHANNEL_TRAIN", "out/features")))
    parser.add_argument("--model-dir", type=Path, default=Path(os.environ.get("SM_MODEL_DIR", "out/model")))
    parser.add_argument("--output-dir", type=Path, default=Path(os.environ.get("SM_OUTPUT_DATA_DIR", "out/evaluation")))
    parser.add_argument("--feature-spec", required=True, help="the FeatureSpec as JSON (contracts/churn_features)")
    parser.add_argument("--model-version", required=True)
    defaults = TrainingSettings()
    parser.add_argument("--threshold-strategy", choices=["precision", "top_k"], default=defaults.threshold_strategy)
    parser.add_argument("--threshold-target", type=float, default=defaults.threshold_target)
    parser.add_argument("--top-k-fraction", type=float, default=defaults.top_k_fraction)
    parser.add_argument("--minimum-pr-auc", type=float, default=defaults.minimum_pr_auc)
    parser.add_argument("--minimum-positives", type=int, default=defaults.sufficiency.minimum_positives)
    parser.add_argument("--minimum-negatives", type=int, default=defaults.sufficiency.minimum_negatives)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    # SageMaker passes every hyperparameter as an option; the framework's own ones are not ours to read.
    args, _unknown = parser.parse_known_args(argv)
    return args


def settings_from(args: argparse.Namespace) -> TrainingSettings:
    return TrainingSettings(threshold_strategy=args.threshold_strategy, threshold_target=args.threshold_target,
                            top_k_fraction=args.top_k_fraction, minimum_pr_auc=args.minimum_pr_auc,
                            sufficiency=Sufficiency(args.minimum_positives, args.minimum_negatives), seed=args.seed)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    settings = settings_from(args)
    try:
        spec = FeatureSpec.from_json(json.loads(args.feature_spec))
        rows = read_rows(args.train)
        booster, encoder, evaluation, gate = fit(rows, spec, settings, args.model_version)
    except (DataError, ValueError) as error:
        # SageMaker shows the contents of /opt/ml/output/failure as the job's FailureReason.
        failure = Path(os.environ.get("SM_OUTPUT_DIR", "/opt/ml/output")) / "failure"
        if failure.parent.is_dir() and os.access(failure.parent, os.W_OK):
            failure.write_text(str(error)[:1000])
        print(f"error: {error}", file=sys.stderr)
        return 2
    save(booster, encoder, evaluation, gate, settings, args.model_dir, args.output_dir)
    print(json.dumps({"model_version": args.model_version, "customers": len(customer_ids(rows)),
                      "roc_auc": round(evaluation["roc_auc"], 4), "pr_auc": round(evaluation["pr_auc"], 4),
                      "gate": "passed" if gate["passed"] else "refused", "reasons": gate["reasons"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Training time per 100 k customers and the hold-out PR-AUC, on feature rows shaped by the contract.

    python bench/segmentation_training.py [--customers 100000] [--smoke]

Rows come from tools.sample_customers.feature_rows (the feature query's shape, a planted signal); the figure is
the wall time of training.churn.train.fit (split, encode, early-stopped XGBoost, threshold, evaluation) on this
shared 2-core machine, and the PR-AUC it reports on the 20 % hold-out. The PR-AUC of the full pipeline on
generated events is printed by `make churn-demo` and asserted by tests/components/predictive_segmentation.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from components.config import PredictiveSegmentationSettings  # noqa: E402
from tools.sample_customers import feature_rows  # noqa: E402
from training.churn.train import TrainingSettings, fit  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true", help="3,000 customers: checks the script runs")
    args = parser.parse_args(argv)
    customers = 3_000 if args.smoke else args.customers
    spec = PredictiveSegmentationSettings().feature_spec()
    rows = feature_rows(spec, customers, seed=21)
    start = time.perf_counter()
    _, _, evaluation, gate = fit(rows, spec, TrainingSettings(), "bench")
    seconds = time.perf_counter() - start
    print(json.dumps({"customers": customers, "seconds": round(seconds, 1),
                      "seconds_per_100k": round(seconds * 100_000 / customers, 1),
                      "holdout_pr_auc": round(evaluation["pr_auc"], 3), "holdout_roc_auc": round(evaluation["roc_auc"], 3),
                      "best_iteration": evaluation["best_iteration"], "gate": gate["passed"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())

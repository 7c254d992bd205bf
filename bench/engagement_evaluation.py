"""Benchmark: the local mode's offline evaluation (implicit ALS vs popularity) and its wall time.

    python bench/engagement_evaluation.py [--smoke]

Runs tools.predictive_engagement_local end to end (real transform, DuckDB, ALS, the writer Lambda) and prints
precision@10, NDCG@10 and coverage for both models (and for ALS ignoring the shoppers' category opt-outs), the
lift, and how long the run took in total.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
for key in ("POWERTOOLS_TRACE_DISABLED", "POWERTOOLS_METRICS_DISABLED"):
    os.environ.setdefault(key, "true")
os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "ERROR")

from tools.predictive_engagement_local import run  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    size = dict(users=100, items=40, per_user=12) if args.smoke else dict(users=2000, items=300, per_user=15)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        outcome = run(Path(folder), **size)
        elapsed = time.perf_counter() - started
    print(f"{size['users']} users, {size['items']} items, {outcome.exported} exported interactions, {elapsed:.1f} s")
    for name, s in (("implicit ALS (opt-outs honoured)", outcome.als),
                    ("implicit ALS ignoring opt-outs", outcome.consent.als_ignoring_opt_outs),
                    ("popularity (opt-outs honoured)", outcome.popularity)):
        print(f"{name:<32} precision@10 {s.precision:.4f}  NDCG@10 {s.ndcg:.4f}  coverage {s.coverage:.3f}")
    print(f"items of opted-out categories in the profile store: {outcome.consent.opted_out_in_profiles} "
          f"(ignoring the opt-outs: {outcome.consent.opted_out_without_filter})")
    print(f"lift: precision@10 x{outcome.als.precision / max(outcome.popularity.precision, 1e-9):.2f}, "
          f"NDCG@10 x{outcome.als.ndcg / max(outcome.popularity.ndcg, 1e-9):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

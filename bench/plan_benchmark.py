"""Benchmark: the offline plan of a stack vs. the same harness on a one-bucket program, in the same run.

    python bench/plan_benchmark.py [--stack dev] [--runs 5]

Each measurement is a whole `python -m tools.plan` process (imports, mock run, policy pack), runs alternate
between baseline and stack so machine noise hits both alike; the figure that matters is the ratio of medians.
Vendored Lambda dependencies are built once before timing (a cold cache measures PyPI, not the plan).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "tools.plan", "--quiet", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # The bare baseline bucket violates mandatory rules (exit 1): the pack still runs in full, which is the point.
    if result.returncode not in (0, 1):
        raise SystemExit(f"plan failed: {result.stderr[-500:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    stack_args = ["--stack", args.stack, "--out", str(ROOT / "out" / "bench-stack")]
    baseline_args = ["--program", str(ROOT / "bench" / "baseline_program"), "--stack", "dev",
                     "--out", str(ROOT / "out" / "bench-baseline")]
    timed(stack_args)  # warm the vendoring cache and the OS page cache
    baseline, stack = [], []
    for _ in range(args.runs):
        baseline.append(timed(baseline_args))
        stack.append(timed(stack_args))
    b, s = statistics.median(baseline), statistics.median(stack)
    print(f"baseline (1 bucket):      median {b:.2f}s  runs {[round(x, 2) for x in baseline]}")
    print(f"stack {args.stack:<6}            median {s:.2f}s  runs {[round(x, 2) for x in stack]}")
    print(f"ratio stack/baseline:     {s / b:.2f}x  (target < 3x; absolute target < 10 s)")


if __name__ == "__main__":
    main()

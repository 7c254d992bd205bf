"""Benchmark: the offline plan of a stack vs. the same harness on a one-bucket program, in the same run.

    python bench/plan_benchmark.py [--stack dev] [--runs 5] [--extra 200] [--smoke]

Each measurement is a whole `python -m tools.plan` process (start-up, imports, program, policy pack, exit), runs
alternate between the baseline, the stack and the baseline with `--extra` more buckets (each bucket plus a
versioning resource: two registrations), so machine noise hits all alike. Figures: the ratio of medians
(target < 3x), the per-phase breakdown printed by `tools.plan --timings` (start-up and exit = wall time minus
the phases), and the marginal cost of one registration = (extra - baseline) / added registrations (target
< 3 ms). Bytecode caching is on (PYTHONDONTWRITEBYTECODE removed), as on a user's machine; a warm-up run fills
the caches (vendored Lambda dependencies, bytecode) first. CPU time (user + system of each plan process) is
printed beside wall time: on a machine shared with other work it moves far less than wall time.
`--smoke`: one run of each, a few seconds.
"""
from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("imports", "project+pack", "program", "policies", "output")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(args: list[str]) -> dict[str, float]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cpu_before = _children_cpu()
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "tools.plan", "--quiet", "--timings", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    # The bare baseline bucket violates mandatory rules (exit 1): the pack still runs in full, which is the point.
    if result.returncode not in (0, 1):
        raise SystemExit(f"plan failed ({result.returncode}): {result.stderr[-500:]}")
    phases = {name: float(value) for name, value in re.findall(r"([a-z+]+) ([0-9.]+)s", result.stdout.split(
        "timings:")[-1])}
    registrations = int(re.search(r"recorded (\d+) registrations", result.stdout).group(1))
    return {"wall": wall, "cpu": cpu, **phases, "start+exit": wall - sum(phases.get(p, 0.0) for p in PHASES),
            "registrations": registrations}


def median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def breakdown(runs: list[dict[str, float]]) -> str:
    return ", ".join(f"{key} {median(runs, key):.2f}s" for key in ("start+exit", *PHASES))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="dev")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--extra", type=int, default=200, help="extra buckets for the marginal-cost program")
    parser.add_argument("--mode", default="preview", choices=("preview", "update"))
    parser.add_argument("--smoke", action="store_true", help="one run each, small extra program")
    args = parser.parse_args()
    runs, extra = (1, 10) if args.smoke else (args.runs, args.extra)
    out = ROOT / "out"
    extra_dir = out / "bench-extra-program"
    extra_dir.mkdir(parents=True, exist_ok=True)
    for name in ("Pulumi.yaml", "__main__.py"):
        (extra_dir / name).write_text((ROOT / "bench" / "baseline_program" / name).read_text())
    (extra_dir / "Pulumi.dev.yaml").write_text(f"config:\n  aws:region: us-east-1\n  baseline:extraBuckets: {extra}\n")
    mode = ["--mode", args.mode]
    commands = {
        "baseline": ["--program", str(ROOT / "bench" / "baseline_program"), "--stack", "dev", *mode,
                     "--out", str(out / "bench-baseline")],
        "stack": ["--stack", args.stack, *mode, "--out", str(out / "bench-stack")],
        "extra": ["--program", str(extra_dir), "--stack", "dev", *mode, "--out", str(out / "bench-extra")],
    }
    for command in commands.values():  # warm the vendoring, bytecode and provider-SDK caches
        timed(command)
    results: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            results[name].append(timed(command))
    base, stack, more = (results[k] for k in ("baseline", "stack", "extra"))
    ratio = median(stack, "wall") / median(base, "wall")
    cpu_ratio = median(stack, "cpu") / median(base, "cpu")
    added = more[0]["registrations"] - base[0]["registrations"]
    marginal = (median(more, "wall") - median(base, "wall")) / added * 1000
    marginal_cpu = (median(more, "cpu") - median(base, "cpu")) / added * 1000
    per_registration = median(stack, "program") / stack[0]["registrations"] * 1000
    print(f"mode {args.mode}, {runs} interleaved run(s) each")
    print(f"baseline (1 bucket):  median {median(base, 'wall'):.2f}s wall, {median(base, 'cpu'):.2f}s CPU  "
          f"runs {[round(r['wall'], 2) for r in base]}")
    print(f"  breakdown: {breakdown(base)}")
    print(f"stack {args.stack} ({stack[0]['registrations']:.0f} registrations): median {median(stack, 'wall'):.2f}s "
          f"wall, {median(stack, 'cpu'):.2f}s CPU  runs {[round(r['wall'], 2) for r in stack]}")
    print(f"  breakdown: {breakdown(stack)}")
    print(f"ratio stack/baseline: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (target < 3x): "
          f"{'OK' if ratio < 3 else 'OVER TARGET'}")
    print(f"marginal cost per registration: {marginal:.2f} ms wall, {marginal_cpu:.2f} ms CPU ({added:.0f} added "
          f"registrations; target < 3 ms): {'OK' if marginal < 3 else 'OVER TARGET'}")
    print(f"stack program phase per registration (program code, imports of its provider modules, SDK, harness): "
          f"{per_registration:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

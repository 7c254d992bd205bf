"""Benchmark: running the whole policy pack over the prod stack's recording, relative to recording it.

    python bench/policy_pack.py [--stack prod] [--runs 7]

Both steps run in this one process, alternating (record, analyse, record, analyse, ...) so machine noise hits
both alike; the figure is median(pack time) / median(record time). Target: <= 1.0, i.e. the policy check
never costs more than the mock deployment it guards. Not a test: timings depend on the machine.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="prod")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="one run: checks the script runs")
    args = parser.parse_args()
    if args.smoke:
        args.runs = 1
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from tools.harness.policy_runner import load_pack, run_pack
    from tools.harness.project import load_project, stack_config
    from tools.harness.recorder import run_program

    project = load_project(ROOT)
    config = stack_config(project, args.stack)
    pack = load_pack(ROOT / "policy")
    policy_config = json.loads((ROOT / "policy" / "config" / f"{args.stack}.json").read_text())
    run_program(project.directory, project.main, project.name, args.stack, config)  # warm caches/imports
    record_times, pack_times = [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        recording = run_program(project.directory, project.main, project.name, args.stack, config)
        recorded = time.perf_counter()
        report = run_pack(pack, recording, policy_config)
        analysed = time.perf_counter()
        record_times.append(recorded - started)
        pack_times.append(analysed - recorded)
    record, analyse = statistics.median(record_times), statistics.median(pack_times)
    ratio = analyse / record
    print(f"stack {args.stack}: {len(recording.registrations)} registrations, {len(pack.policies)} policies, "
          f"{len(report.findings)} findings")
    print(f"record median {record:.3f}s, pack median {analyse:.3f}s over {args.runs} runs")
    print(f"pack/record ratio {ratio:.2f} (target <= 1.0): {'OK' if ratio <= 1.0 else 'OVER TARGET'}")
    return 0 if ratio <= 1.0 or args.smoke else 1


if __name__ == "__main__":
    sys.exit(main())

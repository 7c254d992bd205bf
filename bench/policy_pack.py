"""Benchmark: running the whole policy pack over the prod stack's recording, relative to recording it.

    python bench/policy_pack.py [--stack prod] [--runs 7]
    python bench/policy_pack.py --smoke          # one tiny run (a few seconds): the script still works

Both steps run in this one process, alternating (record, analyse, record, analyse, ...) so machine noise hits
both alike; the figure is median(pack time) / median(record time). Target: <= 1.0, i.e. the policy check
never costs more than the mock deployment it guards. The pack's start-up (a fresh interpreter importing the
rules and loading the IAM action catalogue and the secret detectors, as the CLI's analyzer process does) is
measured separately, also against a fresh interpreter recording the stack, because the CLI pays it once per
preview. Not a test: timings depend on the machine.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# What the analyzer process does before its first answer: import the pack and touch every lazily loaded table.
PACK_STARTUP = """
import sys, time
started = time.perf_counter()
sys.path[:0] = [{root!r}, {pack!r}]
from tools.harness.policy_runner import load_pack
load_pack(__import__('pathlib').Path({pack!r}))
from rules import _iam, _secrets
_iam.parse('{{"Statement": [{{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}}]}}')
_secrets.find({{"x": "y"}})
print(time.perf_counter() - started)
"""
RECORD_STARTUP = """
import sys, time, warnings
started = time.perf_counter()
warnings.filterwarnings("ignore", category=DeprecationWarning)
sys.path.insert(0, {root!r})
from tools.harness.recorder import record_stack
record_stack({stack!r})
print(time.perf_counter() - started)
"""


def fresh(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    return float(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", default="prod")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="one run, no start-up measurement, never fails on time")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    from tools.harness.policy_runner import load_pack, reconcile_config, run_pack
    from tools.harness.project import load_project, stack_config
    from tools.harness.recorder import run_program

    runs = 1 if args.smoke else args.runs
    project = load_project(ROOT)
    config = stack_config(project, args.stack)
    pack = load_pack(ROOT / "policy")
    policy_config = json.loads((ROOT / "policy" / "config" / f"{args.stack}.json").read_text())
    reconciled = reconcile_config(pack, policy_config)
    if not args.smoke:  # warm imports, the IAM catalogue and the detectors (start-up is measured below)
        run_pack(pack, run_program(project.directory, project.main, project.name, args.stack, config),
                 reconciled=reconciled)
    record_times, pack_times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        recording = run_program(project.directory, project.main, project.name, args.stack, config)
        recorded = time.perf_counter()
        report = run_pack(pack, recording, reconciled=reconciled)
        analysed = time.perf_counter()
        record_times.append(recorded - started)
        pack_times.append(analysed - recorded)
    record, analyse = statistics.median(record_times), statistics.median(pack_times)
    ratio = analyse / record
    print(f"stack {args.stack}: {len(recording.registrations)} registrations, {len(pack.policies)} policies, "
          f"{len(report.findings)} findings")
    print(f"record median {record:.3f}s, pack median {analyse:.3f}s over {runs} run(s)")
    print(f"pack/record ratio {ratio:.2f} (target <= 1.0): {'OK' if ratio <= 1.0 else 'OVER TARGET'}")
    if args.smoke:
        return 0
    startups, record_startups = [], []
    for _ in range(3):  # interleaved, fresh interpreters
        startups.append(fresh(PACK_STARTUP.format(root=str(ROOT), pack=str(ROOT / "policy"))))
        record_startups.append(fresh(RECORD_STARTUP.format(root=str(ROOT), stack=args.stack)))
    start, cold_record = statistics.median(startups), statistics.median(record_startups)
    print(f"pack start-up median {start:.3f}s (fresh interpreter: rules, IAM catalogue, secret detectors); "
          f"cold recording {cold_record:.3f}s; start-up/cold-record {start / cold_record:.2f}")
    return 0 if ratio <= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())

"""Cold-start import cost of the preference API handler, as a ratio to importing boto3 alone.

    python bench/preference_cold_start.py [--runs 9]

Each sample is a fresh interpreter that times one import with perf_counter (interpreter start-up excluded).
Target: handler import <= 1.5 x boto3 import. boto3 is imported lazily by the handler, on first AWS call.
The components (Powertools event handler, pydantic, the X-Ray SDK that Powertools' Tracer loads at
construction, which itself loads botocore) are timed too, to show where the time goes.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
PROBE = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"


def sample(module: str) -> float:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0", "AWS_DEFAULT_REGION": "us-east-1"}
    out = subprocess.run([sys.executable, "-c", PROBE.format(module=module)], cwd=REPO_ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout
    return float(out.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--smoke", action="store_true", help="one sample each: checks the script runs")
    args = parser.parse_args()
    if args.smoke:
        args.runs = 1
    sample("functions.preference_api.handler")  # warm the bytecode cache, as a deployed archive would be
    sample("boto3")
    results = {}
    modules = ("boto3", "functions.preference_api.handler", "functions.preference_sync.handler",
               "aws_lambda_powertools.event_handler", "pydantic", "aws_xray_sdk.core")
    for module in modules:
        runs = [sample(module) for _ in range(args.runs)]
        results[module] = statistics.median(runs)
        print(f"{module:36s} median {results[module] * 1000:7.1f} ms over {args.runs} runs "
              f"(min {min(runs) * 1000:.1f}, max {max(runs) * 1000:.1f})")
    ratio = results["functions.preference_api.handler"] / results["boto3"]
    print(f"preference_api handler / boto3 = {ratio:.2f}x (target <= 1.5x): {'OK' if ratio <= 1.5 else 'OVER'}")


if __name__ == "__main__":
    main()

"""Cold start of the preference API as deployed: import + first AWS clients, from the built archive.

    python bench/preference_cold_start.py [--runs 15] [--smoke]

What Lambda runs: the archive `components/packaging.py` builds (here for this machine's architecture, with the
runtime's Python version when an interpreter of it is found, else this one's), unpacked into a read-only-like
task root, in a fresh interpreter with Lambda's environment (LAMBDA_TASK_ROOT, AWS_EXECUTION_ENV, ...),
PYTHONDONTWRITEBYTECODE=1 (/var/task is read-only) and boto3 provided beside it, precompiled, as the runtime
provides it. Measured: `import preference_api.handler` plus the two clients its first request creates
(secretsmanager for the origin proof, dynamodb for the center), against the baseline a user would write
instead: `import boto3` plus the same two clients. Runs are interleaved (baseline, archive with bytecode,
archive without), medians reported. Target: <= 1.5x the baseline.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from components import packaging  # noqa: E402 (needs the repo on sys.path)

RUNTIME_VERSION = "3.13"
RUNTIME_PACKAGES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "urllib3", "six.py")
BASELINE = ("import time; t = time.perf_counter(); import boto3; boto3.client('secretsmanager'); "
            "boto3.client('dynamodb'); print(time.perf_counter() - t)")
HANDLER = ("import time; t = time.perf_counter(); import preference_api.handler; "
           "from preference_api.settings import client; client('secretsmanager'); client('dynamodb'); "
           "print(time.perf_counter() - t)")


def interpreter() -> tuple[str, str]:
    found = packaging.runtime_python(RUNTIME_VERSION)
    if found:
        return found, RUNTIME_VERSION
    return sys.executable, f"{sys.version_info.major}.{sys.version_info.minor}"


def unpack(entries: dict[str, Path], target: Path) -> None:
    for archive_path, file in entries.items():
        destination = target / archive_path
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(file, destination)


def runtime_dir(python: str, target: Path) -> None:
    """boto3 and its dependencies as the Lambda runtime ships them: beside the task root, precompiled."""
    import boto3

    site = Path(boto3.__file__).parents[1]
    for name in RUNTIME_PACKAGES:
        source = site / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copyfile(source, target / name)
    subprocess.run([python, "-m", "compileall", "-q", str(target)], check=True)


def sample(python: str, code: str, paths: list[Path]) -> float:
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": os.pathsep.join(map(str, paths)),
           "PYTHONDONTWRITEBYTECODE": "1", "LAMBDA_TASK_ROOT": str(paths[0]),
           "AWS_LAMBDA_FUNCTION_NAME": "preference-api", "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13",
           "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512", "AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1",
           "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_SESSION_TOKEN": "bench",
           "POWERTOOLS_SERVICE_NAME": "preference_api", "_X_AMZN_TRACE_ID": "Root=1-00000000-000000000000000000000000"}
    out = subprocess.run([python, "-c", code], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"probe failed: {out.stderr.strip().splitlines()[-1]}")
    return float(out.stdout.strip())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--smoke", action="store_true", help="one run of each, to check the script works")
    args = parser.parse_args(argv)
    runs = 1 if args.smoke else args.runs
    python, version = interpreter()
    architecture = "arm64" if platform.machine() in ("aarch64", "arm64") else "x86_64"
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        with_bytecode = packaging.archive_entries("preference_api", version, architecture)
        without = {k: v for k, v in with_bytecode.items() if not k.endswith(".pyc")}
        unpack(with_bytecode, root / "task-bytecode")
        unpack(without, root / "task-source")
        runtime_dir(python, root / "runtime")
        results: dict[str, list[float]] = {"baseline": [], "archive": [], "archive without bytecode": []}
        for _ in range(runs):  # interleaved, so machine noise hits every variant alike
            results["baseline"].append(sample(python, BASELINE, [root / "task-source", root / "runtime"]))
            results["archive"].append(sample(python, HANDLER, [root / "task-bytecode", root / "runtime"]))
            results["archive without bytecode"].append(sample(python, HANDLER, [root / "task-source",
                                                                                 root / "runtime"]))
    print(f"python {version} ({python}), {architecture}, {runs} interleaved run(s), Lambda-like environment")
    medians = {name: statistics.median(values) for name, values in results.items()}
    for name, values in results.items():
        print(f"{name:26s} median {medians[name] * 1000:7.1f} ms (min {min(values) * 1000:.1f}, "
              f"max {max(values) * 1000:.1f})")
    ratio = medians["archive"] / medians["baseline"]
    print(f"archive / baseline = {ratio:.2f}x (target <= 1.5x: {'met' if ratio <= 1.5 else 'missed'}); "
          f"without bytecode {medians['archive without bytecode'] / medians['baseline']:.2f}x")


if __name__ == "__main__":
    main()

"""Every preference benchmark runs end to end with --smoke, so none silently breaks between `make bench` runs."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("script", "expected"), [
    ("bench/preference_cold_start.py", "archive / baseline = "),
    ("bench/preference_latency.py", "5xx 0;"),
])
def test_benchmark_runs_with_smoke(script, expected):
    result = subprocess.run([sys.executable, script, "--smoke"], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    assert expected in result.stdout

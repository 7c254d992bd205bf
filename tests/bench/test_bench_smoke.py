"""Every benchmark script runs as a quick smoke test (`--smoke`: tiny sizes), so none silently breaks."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py"))


def test_every_benchmark_script_is_found():
    assert "plan_benchmark.py" in SCRIPTS and len(SCRIPTS) >= 6


@pytest.mark.timeout(600)
@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_runs_in_smoke_mode_and_prints_its_figures(script):
    result = subprocess.run([sys.executable, str(BENCH / script), "--smoke"], cwd=BENCH.parent,
                            capture_output=True, text=True, timeout=540, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    figures = [line for line in result.stdout.splitlines() if re.search(r"\d", line)]
    assert len(figures) >= 2, result.stdout

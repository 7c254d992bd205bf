"""Every benchmark script runs as a quick smoke test (`--smoke`: tiny sizes), so none silently breaks.

One run per script; what it must print is listed here per script (a figure it reports), and a script without an
entry must at least print two lines of figures. A new script in bench/ is picked up without editing this file.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py"))
# What each script's smoke run must print: texts it always prints with its figures (the ones the README quotes),
# or the keys of the JSON object it prints last.
EXPECTED: dict[str, str | list[str] | set[str]] = {
    "transform_throughput.py": ["floor: base64 + orjson.loads + orjson.dumps + base64:", "ratio handler / floor:",
                                "with KEEP_RAW_EVENT", "GZIP Parquet"],
    "view_bytes.py": ["time-prefixed GZIP JSON: read", "by range reads", "bytes needed:",
                      "fewer bytes read with the lake by DuckDB"],
    "policy_pack.py": "pack/record ratio",
    "preference_cold_start.py": "archive / baseline = ",
    "preference_latency.py": "5xx 0;",
    "engagement_writer.py": ["profile updates/s", "writer with category opt-outs"],
    "engagement_forwarder.py": "PutEvents calls per 1,000 interactions",
    "engagement_evaluation.py": "lift: precision@10",
    "segmentation_postprocess.py": {"csv_module_rows_per_s", "step_rows_per_s", "ratio", "step_peak_rss_mb",
                                    "floor_ratio_cpu"},
    "segmentation_features.py": {"events", "customers", "query_seconds", "events_per_second"},
    "segmentation_training.py": {"seconds_per_100k", "holdout_pr_auc"},
}


def test_every_benchmark_script_is_found():
    assert "plan_benchmark.py" in SCRIPTS and len(SCRIPTS) >= 6
    assert set(EXPECTED) <= set(SCRIPTS), "an expectation names a script that no longer exists"


@pytest.mark.timeout(600)
@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_runs_in_smoke_mode_and_prints_its_figures(script):
    result = subprocess.run([sys.executable, str(BENCH / script), "--smoke"], cwd=BENCH.parent,
                            capture_output=True, text=True, timeout=540, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    expected = EXPECTED.get(script)
    if isinstance(expected, (str, list)):
        for text in [expected] if isinstance(expected, str) else expected:
            assert text in result.stdout, (text, result.stdout[-2000:])
    elif isinstance(expected, set):
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        assert expected <= set(figures) and all(figures[k] for k in expected if k != "ratio"), figures
    else:
        figures = [line for line in result.stdout.splitlines() if re.search(r"\d", line)]
        assert len(figures) >= 2, result.stdout

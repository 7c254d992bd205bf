"""Every predictive-segmentation benchmark runs in its --smoke mode (seconds), so none silently breaks."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("script, keys", [
    ("segmentation_postprocess.py", {"csv_module_rows_per_s", "scoring_rows_per_s", "ratio"}),
    ("segmentation_features.py", {"events", "customers", "query_seconds", "events_per_second"}),
    ("segmentation_training.py", {"seconds_per_100k", "holdout_pr_auc"}),
])
def test_benchmark_smoke_run_prints_its_figures(script, keys):
    result = subprocess.run([sys.executable, str(ROOT / "bench" / script), "--smoke"], capture_output=True,
                            text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert keys <= set(figures) and all(figures[k] for k in keys if k != "ratio")

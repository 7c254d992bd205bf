"""Every predictive-engagement benchmark runs in its --smoke mode, so none silently breaks."""
from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(("script", "expected"), [
    ("engagement_writer.py", "profile updates/s"),
    ("engagement_forwarder.py", "PutEvents calls per 1,000 interactions"),
    ("engagement_evaluation.py", "lift: precision@10"),
])
def test_benchmark_smoke(repo_root, script, expected):
    result = subprocess.run([sys.executable, str(repo_root / "bench" / script), "--smoke"], cwd=repo_root,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert expected in result.stdout

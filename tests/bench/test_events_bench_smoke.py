"""The events benchmarks run end to end in seconds (--smoke), so neither silently breaks between `make bench`es."""
from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(("script", "expected"), [
    ("bench/transform_throughput.py", ["floor: base64 + orjson.loads + orjson.dumps + base64:",
                                       "ratio handler / floor:", "with KEEP_RAW_EVENT", "GZIP Parquet"]),
    ("bench/view_bytes.py", ["time-prefixed GZIP JSON: read", "by range reads", "bytes needed:",
                             "fewer bytes read with the lake by DuckDB"]),
])
def test_bench_script_runs_in_smoke_mode(repo_root, script, expected):
    # Given the real script, as `make bench` runs it but with tiny sizes
    out = subprocess.run([sys.executable, script, "--smoke"], cwd=repo_root, capture_output=True, text=True,
                         timeout=300)

    # Then it exits cleanly and prints every figure the README quotes
    assert out.returncode == 0, out.stderr[-2000:]
    for text in expected:
        assert text in out.stdout, (text, out.stdout)

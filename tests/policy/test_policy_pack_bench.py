"""bench/policy_pack.py keeps working: its --smoke mode (one run) in the test suite, so the script cannot rot."""
import importlib.util

from .conftest import REPO_ROOT


def test_policy_pack_benchmark_smoke_run(capsys):
    spec = importlib.util.spec_from_file_location("policy_pack_bench", REPO_ROOT / "bench" / "policy_pack.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert bench.main(["--smoke", "--stack", "dev"]) == 0
    out = capsys.readouterr().out
    assert "stack dev:" in out and "policies" in out and "pack/record ratio" in out

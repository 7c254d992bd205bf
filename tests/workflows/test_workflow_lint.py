"""actionlint (current action metadata: input names, runtimes) with shellcheck passes on every workflow and on
the composite action's steps, and really reports the defects it is here to catch."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from workflow_files import SETUP_ACTION, WORKFLOWS, composite_as_workflow, load, run_actionlint


def test_workflows_have_no_actionlint_finding():
    result = run_actionlint()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "shellcheck was not found" not in result.stdout + result.stderr  # run: scripts are checked too


def test_composite_action_steps_have_no_actionlint_finding(tmp_path):
    (tmp_path / "setup-stack.yml").write_text(yaml.safe_dump(composite_as_workflow(load(SETUP_ACTION))))
    result = run_actionlint(tmp_path / "setup-stack.yml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def lint_mutated(tmp_path: Path, name: str, old: str, new: str) -> str:
    text = (WORKFLOWS / name).read_text()
    assert old in text
    (tmp_path / name).write_text(text.replace(old, new, 1))
    return run_actionlint(tmp_path / name).stdout


def test_a_misspelt_action_input_is_a_finding(tmp_path):
    out = lint_mutated(tmp_path, "pr.yml", "persist-credentials: false", "persist-credential: false")
    assert 'input "persist-credential" is not defined in action "actions/checkout@v7"' in out


def test_a_misspelt_pulumi_actions_input_is_a_finding(tmp_path):
    action = load(SETUP_ACTION)
    text = yaml.safe_dump(composite_as_workflow(action)).replace("pulumi-version: ", "pulumi-versions: ", 1)
    (tmp_path / "setup-stack.yml").write_text(text)
    out = run_actionlint(tmp_path / "setup-stack.yml", cwd=tmp_path).stdout
    assert 'input "pulumi-versions" is not defined in action "pulumi/actions@v7"' in out


def test_an_action_on_the_retired_node20_runtime_is_a_finding(tmp_path):
    out = lint_mutated(tmp_path, "deploy.yml", "actions/checkout@v7", "actions/checkout@v4")
    assert re.search(r'runtime "node20" is deprecated .* action "actions/checkout@v4"', out)


def test_an_untrusted_value_in_a_script_is_a_finding(tmp_path):
    out = lint_mutated(tmp_path, "review-stack.yml", 'PR: ${{ github.event.pull_request.number }}',
                       'PR: ${{ github.event.pull_request.title }}')
    assert out == ""  # via env: is the safe way; the same value inline in run: is not
    out = lint_mutated(tmp_path, "review-stack.yml", '--pr "$PR"', '--pr "${{ github.event.pull_request.title }}"')
    assert "potentially untrusted" in out

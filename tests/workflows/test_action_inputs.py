"""Every `uses:` step has its `with:` keys validated against the action's declared inputs: by actionlint's
metadata where it has it, otherwise by the action.yml data vendored in data/action_metadata.json."""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from workflow_files import all_steps, run_actionlint

VENDORED = json.loads((Path(__file__).parent / "data" / "action_metadata.json").read_text())
CURRENT_RUNTIMES = {"node24", "composite", "docker"}


def remote_actions() -> dict[str, list[tuple[str, dict]]]:
    actions: dict[str, list[tuple[str, dict]]] = {}
    for where, step in all_steps():
        uses = step.get("uses", "")
        if uses and not uses.startswith("./"):
            actions.setdefault(uses, []).append((where, step))
    return actions


def known_to_actionlint(actions: list[str], tmp_path: Path) -> set[str]:
    """Probe: actionlint names the action in an 'input ... is not defined' finding only if it has its inputs."""
    steps = [{"uses": action, "with": {"probe-input-x": "1"}} for action in actions]
    probe = {"on": "push", "jobs": {"probe": {"runs-on": "ubuntu-latest", "steps": steps}}}
    (tmp_path / "probe.yml").write_text(yaml.safe_dump(probe))
    out = run_actionlint(tmp_path / "probe.yml", cwd=tmp_path).stdout
    return set(re.findall(r'input "probe-input-x" is not defined in action "([^"]+)"', out))


def test_every_action_used_has_known_inputs(tmp_path):
    actions = remote_actions()
    unknown = set(actions) - known_to_actionlint(sorted(actions), tmp_path) - set(VENDORED)
    assert not unknown, f"no input metadata for {sorted(unknown)}: vendor its action.yml into action_metadata.json"


def test_vendored_actions_get_only_declared_inputs_and_every_required_one():
    for uses, steps in remote_actions().items():
        if uses not in VENDORED:
            continue
        meta = VENDORED[uses]
        for where, step in steps:
            given = set(step.get("with", {}))
            assert given <= set(meta["inputs"]), (where, uses, sorted(given - set(meta["inputs"])))
            assert set(meta["required"]) <= given, (where, uses, "missing required input")


def test_vendored_actions_run_on_a_current_runtime():
    for uses, meta in VENDORED.items():
        if uses.startswith("_"):
            continue
        assert meta["runs_using"] in CURRENT_RUNTIMES, uses
        assert meta["source"].startswith(f"https://github.com/{uses.split('@')[0]}/blob/")


def test_vendored_metadata_would_catch_a_misspelt_input():
    step = {"uses": "pulumi/auth-actions@v2", "with": {"organisation": "acme"}}
    meta = VENDORED[step["uses"]]
    assert set(step["with"]) - set(meta["inputs"]) == {"organisation"}
    assert not set(meta["required"]) <= set(step["with"])

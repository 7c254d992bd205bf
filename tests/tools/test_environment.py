"""tools/environment.py: the one helper local modes (lambda_environment) and the policy analysis
(pack_environment) use to set variables for a block and put back exactly what was there."""
from __future__ import annotations

import os

import pytest

from tools.environment import environment_variables
from tools.harness.analyzer_environment import PackEnvironment, pack_environment


def test_sets_and_unsets_for_the_block_then_restores_set_and_unset_alike(monkeypatch):
    monkeypatch.setenv("KEPT", "before")
    monkeypatch.setenv("HIDDEN", "before")
    monkeypatch.delenv("ADDED", raising=False)
    with pytest.raises(RuntimeError):
        with environment_variables({"KEPT": "during", "HIDDEN": None, "ADDED": "during"}):
            assert (os.environ["KEPT"], "HIDDEN" in os.environ, os.environ["ADDED"]) == ("during", False, "during")
            raise RuntimeError("the block fails")
    assert (os.environ["KEPT"], os.environ["HIDDEN"], "ADDED" in os.environ) == ("before", "before", False)


def test_pack_environment_hides_a_developers_config_when_the_stack_has_none(monkeypatch):
    monkeypatch.setenv("PULUMI_CONFIG", '{"engagement:owner": "someone-else"}')
    with pack_environment(PackEnvironment(project="engagement", stack="dev", config={}, dry_run=False)):
        assert "PULUMI_CONFIG" not in os.environ
        assert (os.environ["PULUMI_STACK"], os.environ["PULUMI_DRY_RUN"]) == ("dev", "false")
    assert os.environ["PULUMI_CONFIG"] == '{"engagement:owner": "someone-else"}'

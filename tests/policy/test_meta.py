"""Every rule: named from its path with a closed verb list, complete metadata, a test module; all pillars covered."""
from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest

from rules import ALL_POLICIES, aws
from rules._framework import VERBS, Pillar, policy_name

TESTS = Path(__file__).resolve().parent
RULE_MODULES = sorted(m.name for m in pkgutil.walk_packages(aws.__path__, prefix=f"{aws.__name__}.")
                      if hasattr(importlib.import_module(m.name), "POLICY"))


def test_at_least_sixty_rules():
    assert len(ALL_POLICIES) >= 60 and len(RULE_MODULES) == len(ALL_POLICIES)


@pytest.mark.parametrize("module", RULE_MODULES)
def test_rule_has_a_test_module_mirroring_its_path(module):
    parts = module.split(".")[1:]  # drop "rules"
    assert (TESTS.joinpath(*parts[:-1]) / f"test_{parts[-1]}.py").is_file()


@pytest.mark.parametrize("module", RULE_MODULES)
def test_policy_name_matches_path_and_verb_list(module):
    policy = importlib.import_module(module).POLICY
    assert policy.name == policy_name(module)
    assert module.rsplit(".", 1)[-1].split("_")[0] in VERBS


@pytest.mark.parametrize("policy", ALL_POLICIES, ids=lambda p: p.name)
def test_metadata_is_complete(policy):
    meta = policy.meta
    assert meta.id and meta.pillar in Pillar and policy.severity is not None
    assert meta.description.endswith(".") and meta.description[0].isupper()
    assert meta.remediation.strip().endswith(".")
    assert meta.url.startswith("https://") or meta.wa_reference
    for name, schema in meta.settings.items():
        assert "default" in schema, f"setting {name} needs a default"


def test_ids_are_unique():
    ids = [p.meta.id for p in ALL_POLICIES]
    assert len(ids) == len(set(ids))


def test_all_six_pillars_have_several_rules():
    counts = {pillar: sum(p.meta.pillar == pillar for p in ALL_POLICIES) for pillar in Pillar}
    assert all(count >= 3 for count in counts.values()), counts

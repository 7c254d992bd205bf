"""All rules of the pack, discovered from `rules/aws/**` (every module that defines `POLICY`)."""
from __future__ import annotations

import importlib
import pkgutil

from pulumi_policy import EnforcementLevel, Policy

from . import aws


def _discover() -> list[Policy]:
    policies = []
    for module_info in pkgutil.walk_packages(aws.__path__, prefix=f"{aws.__name__}."):
        module = importlib.import_module(module_info.name)
        if hasattr(module, "POLICY"):
            policies.append(module.POLICY)
    return sorted(policies, key=lambda p: p.name)


ALL_POLICIES: list[Policy] = _discover()


PACK_DEFAULT_LEVEL = EnforcementLevel.ADVISORY


def initial_config() -> dict[str, EnforcementLevel]:
    """The rules whose default level differs from the pack's (ADVISORY); policy/config/*.json override them.

    The CLI applies this initial config first and the config file (its `all` key, then per-rule entries) on
    top, so a file's `all: mandatory` raises every rule, these included.
    """
    return {policy.name: policy.meta.default_level for policy in ALL_POLICIES
            if policy.meta.default_level != PACK_DEFAULT_LEVEL}

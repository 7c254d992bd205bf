"""Drive policies through pulumi-policy's real analyzer servicer (via the harness's `run_pack`).

`run_rule(name, *resources, config=None)` runs ONE policy of the pack, configured mandatory, over a hand-built
recording: resource policies see each resource's inputs (Analyze), stack policies the same values as outputs
(AnalyzeStack). So enforcement, config defaults and message formatting are covered, not just the check function.
`make(type, changes, ...)` builds a resource from the compliant baseline of its type with one change.
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = REPO_ROOT / "policy"
for path in (REPO_ROOT, POLICY_DIR):  # `rules` (the pack's own package) and `tools.harness`
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from tools.harness.policy_runner import Finding, LoadedPack, load_pack, load_policy_config, run_pack  # noqa: E402
from tools.harness.recorder import Recording, Registration, struct_from  # noqa: E402

from .fixtures import Res, make_resource  # noqa: E402


@pytest.fixture(scope="session")
def pack() -> LoadedPack:
    return load_pack(POLICY_DIR)


def recording_of(resources: list[Res], project: str = "test", stack: str = "test") -> Recording:
    urns = {r.name: f"urn:pulumi:{stack}::{project}::{r.type}::{r.name}" for r in resources}
    registrations = []
    for r in resources:
        prop_deps = {prop: [urns[n] for n in names] for prop, names in r.deps.items()}
        registrations.append(Registration(
            urn=urns[r.name], type=r.type, name=r.name, custom=True, parent="",
            dependencies=sorted({u for us in prop_deps.values() for u in us}), property_dependencies=prop_deps,
            protect=r.protect, inputs=dict(r.props), inputs_struct=struct_from(r.props),
            state_struct=struct_from(r.props), state=dict(r.props), id=r.name))
    return Recording(project=project, stack=stack, registrations=registrations, exports={})


@pytest.fixture
def run_rule(pack: LoadedPack) -> Callable[..., list[Finding]]:
    by_name = {p.name: p for p in pack.policies}

    def run(policy: str, *resources: Res, config: Mapping[str, Any] | None = None,
            level: str = "mandatory") -> list[Finding]:
        single = LoadedPack(pack.name, pack.version, [by_name[policy]], pack.enforcement_level, None)
        report = run_pack(single, recording_of(list(resources)),
                          {policy: {"enforcementLevel": level, **(config or {})}})
        run.last_report = report
        return [f for f in report.findings if f.policy == policy]

    return run


@pytest.fixture
def make() -> Callable[..., Res]:
    return make_resource


def assert_violation(findings: list[Finding], fragment: str, level: str = "mandatory") -> None:
    assert findings, f"expected a violation containing {fragment!r}, got none"
    assert any(fragment in f.message for f in findings), [f.message for f in findings]
    assert all(f.level == level for f in findings)


@pytest.fixture
def violation() -> Callable[..., None]:
    return assert_violation


@pytest.fixture
def fx():
    """The baselines module (bucket_stack, function_stack, DELETE, KEY_ARN, doc, ...)."""
    from . import fixtures

    return fixtures


def policy_config(stack: str) -> dict[str, Any]:
    return load_policy_config(POLICY_DIR / "config" / f"{stack}.json")

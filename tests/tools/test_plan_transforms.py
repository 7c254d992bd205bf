"""New-style transforms and the engine's default providers in the offline plan: the transformed resource is what
is recorded and what policies see; every resource without an explicit provider references its package's default
provider, which carries the stack's config and is handed to the pack."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.harness import render
from tools.harness.policy_runner import PackEnvironment, load_pack, run_pack
from tools.harness.project import load_project, stack_config
from tools.harness.recorder import run_program
from tools.harness.transforms import TransformChains

PROGRAMS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "programs"
PACKS = PROGRAMS.parent / "packs"
pytestmark = pytest.mark.timeout(120)


def plan(name: str = "transforms", mode: str = "preview", overrides: dict[str, str] | None = None):
    project = load_project(PROGRAMS / name)
    config = stack_config(project, "dev")
    values = {**config.values, **(overrides or {})}
    recording = run_program(project.directory, project.main, project.name, "dev", values, mode=mode,
                            secret_keys=config.secret_keys, timeout=60)
    return recording, values


def platform_report(recording, values):
    environment = PackEnvironment(recording.project, recording.stack, values, recording.mode == "preview")
    return run_pack(load_pack(PACKS / "platform", environment), recording, {}, environment=environment)


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_transforms_run_in_the_engines_order_and_the_recording_holds_the_transformed_resource(mode):
    recording, _ = plan(mode=mode)
    tags = {r.name: r.inputs.get("tags", {}) for r in recording.registrations if r.custom}
    # Own transforms first, then the parent's (a component's reaches grandchildren), then the stack's.
    assert tags["archive-store"]["trail"] == "own,component,stack"
    assert tags["archive-logs-group"]["trail"] == "component,stack"
    assert tags["orders"]["trail"] == "own,stack" and tags["audit"]["trail"] == "async,stack"
    assert tags["orders"]["managed-by"] == "platform"
    # Registered before the stack transform existed: the engine leaves it alone.
    assert recording.by_name("early").inputs.get("tags") is None
    assert recording.by_name("orders").inputs["sqsManagedSseEnabled"] is True
    audit = recording.by_name("audit")  # the async transform changed properties and options
    assert audit.inputs["retentionInDays"] == 365 and audit.protect is True
    assert recording.by_name("archive-logs-group").inputs["kmsKeyId"].endswith(":alias/logs")
    assert recording.exports["trail"] == "own,component,stack"  # the program sees the transformed outputs


def test_a_stack_invoke_transform_changes_what_the_function_computes():
    recording, _ = plan()
    document = json.loads(recording.by_name("early-policy").inputs["policy"])
    assert [s.get("Sid") for s in document["Statement"]] == [None, "DenyInsecureTransport"]
    assert document["Statement"][1]["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_a_policy_that_fails_without_the_transforms_passes_with_them(monkeypatch):
    recording, values = plan()
    report = platform_report(recording, values)
    assert report.mandatory == [], [f.message for f in report.mandatory]
    # The same program with the transforms ignored (what the plan did before): the pack rejects it.
    monkeypatch.setattr(TransformChains, "chain", lambda self, urn, request: [])
    untransformed, values = plan()
    failed = {(f.policy, f.resource_name) for f in platform_report(untransformed, values).mandatory}
    assert failed == {("queue-encrypted", "orders"), ("log-group-kms", "audit"),
                      ("log-group-kms", "archive-logs-group")}


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_a_resource_passed_as_an_input_survives_a_stack_transform(tmp_path, mode):
    """The engine hands a transform resource references; the SDK rehydrates them (getResource) and sends them back:
    the recording still holds the referenced id (unknown in a preview, as without the transform)."""
    (tmp_path / "Pulumi.yaml").write_text("name: refs\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi, pulumi_aws as aws\n"
        "def seen(args):\n"
        "    with open('seen.txt', 'a') as out:\n"
        "        out.write(type(args.props.get('role')).__name__ + '\\n')\n"
        "pulumi.runtime.register_resource_transform(seen)\n"
        "role = aws.iam.Role('worker', assume_role_policy='{}')\n"
        "aws.iam.RolePolicy('worker-logs', role=role, policy='{}')\n")
    recording = run_program(tmp_path, ".", "refs", "dev", {}, mode=mode, timeout=60)
    role, policy = recording.by_name("worker"), recording.by_name("worker-logs")
    assert (tmp_path / "seen.txt").read_text().split() == ["NoneType", "Role"]  # the transform got the Role
    if mode == "update":
        assert policy.inputs["role"] == role.id
    else:
        assert type(policy.inputs["role"]).__name__ == "Unknown"
    assert policy.property_dependencies["role"] == [role.urn]


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_the_default_provider_carries_the_stack_config_and_every_resource_references_it(mode):
    recording, _ = plan(mode=mode)
    provider = recording.by_name("default_7_51_1")
    assert provider.type == "pulumi:providers:aws" and provider.parent == ""
    assert provider.inputs == {"region": "eu-west-1", "version": "7.51.1",
                               "defaultTags": json.dumps({"tags": {"cost-center": "cc-1234"}})}
    custom = [r for r in recording.registrations if r.custom and r is not provider]
    assert custom and all(r.provider.startswith(provider.urn + "::") for r in custom)
    # Registered just before its first user, once.
    assert recording.registrations.index(provider) == recording.registrations.index(recording.by_name("early")) - 1
    assert len(recording.by_type("pulumi:providers:aws")) == 1
    assert "pulumi:providers" not in render.tree(recording).split("Resources:")[0]  # the CLI display hides it


def test_a_policy_reading_the_provider_config_sees_the_default_provider():
    recording, values = plan(overrides={"aws:region": "us-east-1"})
    failed = [f for f in platform_report(recording, values).mandatory if f.policy == "approved-provider"]
    assert len(failed) == 6  # every AWS resource: 'us-east-1' is not approved
    assert "provider default_7_51_1 deploys to 'us-east-1'" in failed[0].message


def test_a_secret_provider_setting_stays_secret_and_each_package_gets_its_own_provider():
    recording, _ = plan("random_values", "update")
    names = sorted((r.type, r.name) for r in recording.registrations if r.type.startswith("pulumi:providers:"))
    assert names == [("pulumi:providers:aws", "default_7_51_1"), ("pulumi:providers:random", "default_4_21_4")]
    project = load_project(PROGRAMS / "transforms")
    secret = run_program(project.directory, project.main, project.name, "dev",
                         {"aws:region": "eu-west-1", "aws:accessKey": "AKIAEXAMPLE"}, mode="preview",
                         secret_keys=("aws:accessKey",), timeout=60).by_name("default_7_51_1")
    assert secret.inputs["accessKey"] == {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                                          "value": "AKIAEXAMPLE"}


def test_planning_the_transforms_program_twice_gives_the_same_recording():
    first, second = (render.to_json(plan(mode="update")[0]) for _ in range(2))
    assert first == second

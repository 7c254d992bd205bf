"""The corpus: small programs that do what real programs do, each planned in both modes with its resource count
asserted, plus determinism (the same program planned twice gives the same recording)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.harness import render
from tools.harness.default_providers import is_default_provider
from tools.harness.policy_runner import PackEnvironment, load_pack, run_pack
from tools.harness.project import load_project, stack_config
from tools.harness.recorder import run_program

PROGRAMS = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "programs"
PACKS = PROGRAMS.parent / "packs"
pytestmark = pytest.mark.timeout(120)

# program -> (registrations, of which components, of which reads, of which the engine's default providers).
# Default providers are registrations like any other (the engine registers one per package and version for the
# resources and invokes that name no provider; they are in the state and analyzers see them), so they count.
CORPUS = {
    "resource_inputs": (4, 0, 0, 1),
    "component": (10, 3, 0, 1),
    "explicit_provider": (5, 0, 0, 1),
    "invokes": (4, 0, 0, 1),
    "stack_reference": (3, 0, 1, 1),
    "config_values": (5, 0, 0, 1),
    "no_stack_file": (3, 0, 0, 1),
    "apply_chains": (8, 0, 0, 1),
    "dynamic_provider": (4, 0, 0, 2),  # aws and pulumi-python (the dynamic provider's package)
    "random_values": (7, 0, 0, 2),  # aws and random
    "read_existing": (3, 0, 1, 1),
    "public_bucket": (3, 0, 0, 1),
    "transforms": (9, 2, 0, 1),
}


def plan(name: str, mode: str, stack: str = "dev"):
    project = load_project(PROGRAMS / name)
    config = stack_config(project, "test" if name == "public_bucket" else stack)
    return run_program(project.directory, project.main, project.name, stack, config.values, mode=mode,
                       secret_keys=config.secret_keys, timeout=60)


@pytest.mark.parametrize("mode", ["preview", "update"])
@pytest.mark.parametrize("name", sorted(CORPUS))
def test_corpus_program_plans_with_its_resource_count(name, mode):
    recording = plan(name, mode)
    total, components, reads, defaults = CORPUS[name]
    assert len(recording.registrations) == total
    assert sum(is_default_provider(r.urn, r.type) for r in recording.registrations) == defaults
    assert sum(not r.custom for r in recording.registrations) == components
    assert sum(r.op == "read" for r in recording.registrations) == reads
    assert recording.mode == mode


def test_the_corpus_has_at_least_twelve_programs():
    assert len(CORPUS) >= 12 and all((PROGRAMS / name / "__main__.py").is_file() for name in CORPUS)


def test_resource_references_reach_the_recording_as_id_or_urn():
    recording = plan("resource_inputs", "update")
    role, policy = recording.by_name("worker"), recording.by_name("worker-logs")
    assert policy.inputs["role"] == role.id == role.inputs["name"]
    assert policy.property_dependencies["role"] == [role.urn]
    preview = plan("resource_inputs", "preview").by_name("worker-logs")
    assert type(preview.inputs["role"]).__name__ == "Unknown"  # a role to create has no id yet


def test_components_parent_their_children_and_register_outputs():
    recording = plan("component", "update")
    estate = recording.by_name("estate", custom=False)
    sites = [r for r in recording.children(estate.urn)]
    assert [s.type for s in sites] == ["corpus:web:Website"] * 2
    assert len(recording.descendants(estate.urn)) == 8
    assert sites[0].state["bucketName"].startswith("estate-1-content-")
    assert recording.exports["buckets"] == [s.state["bucketName"] for s in sites]


def test_an_explicit_provider_is_recorded_and_passed_to_policies():
    recording = plan("explicit_provider", "update")
    replica = recording.by_name("replica")
    provider = recording.by_name("west")
    assert provider.type == "pulumi:providers:aws" and replica.provider.startswith(provider.urn + "::")
    assert recording.by_name("home").provider == recording.by_name("default_7_51_1").urn + "::default_7_51_1-provider-id"
    seen = []
    import pulumi_policy

    def spy(args, report):
        if args.provider:
            seen.append((args.name, args.provider.name, args.provider.props.get("region")))

    pack = load_pack(PACKS / "foreign", PackEnvironment("explicit_provider", "dev", {"aws:region": "eu-west-1"}))
    pack.policies = [pulumi_policy.ResourceValidationPolicy(name="spy", description="spy", validate=spy)]
    run_pack(pack, recording, {})
    # A resource that names no provider gets the engine's default provider (no region: the stack sets none).
    assert ("replica", "west", "eu-west-1") in seen and ("home", "default_7_51_1", None) in seen


def test_invokes_are_computed_or_stack_consistent_or_unknown_never_empty():
    recording = plan("invokes", "preview")
    document = json.loads(recording.by_name("reader").inputs["policy"])
    assert document["Statement"][0] == {
        "Sid": "ReadData", "Effect": "Allow", "Action": ["s3:ListBucket", "s3:GetObject"],
        "Resource": ["arn:aws:s3:::data-123456789012/*", "arn:aws:s3:::data-123456789012"]}
    assert document["Statement"][1]["Principal"] == "*"
    instance = recording.by_name("web")
    assert instance.inputs["availabilityZone"] == "eu-central-1a"  # from the stack's region
    assert type(instance.inputs["ami"]).__name__ == "Unknown"  # not dropped: unknown, as in a preview
    assert type(recording.by_name("www").inputs["zoneId"]).__name__ == "Unknown"
    assert recording.exports["region"] == "eu-central-1"
    assert recording.unknown_invokes == ["aws:ec2/getAmi:getAmi", "aws:ecr/getAuthorizationToken:getAuthorizationToken",
                                         "aws:route53/getZone:getZone"]


def test_a_stack_reference_is_a_read_whose_outputs_are_unknown():
    recording = plan("stack_reference", "update")
    reference = recording.by_name("acme/network/prod")
    assert reference.op == "read" and reference.type == "pulumi:pulumi:StackReference"
    group = recording.by_name("app")
    assert type(group.inputs["vpcId"]).__name__ == "Unknown"
    assert group.property_dependencies["vpcId"] == [reference.urn]


def test_config_values_reach_the_program_typed_and_secret():
    recording = plan("config_values", "update")
    assert [r.name for r in recording.by_type("aws:s3/bucket:Bucket")] == ["raw", "curated"]
    assert recording.by_name("raw").inputs["tags"] == {"owner": "data-team", "replicas": "2"}
    value = recording.by_name("db-password").inputs["value"]
    assert isinstance(value, dict) and value.get("value") == "not-a-real-secret"  # the wire form of a secret


def test_apply_chains_and_output_all_resolve_in_update_and_stay_unknown_in_preview():
    update = plan("apply_chains", "update")
    policy = json.loads(update.by_name("shipper-policy").inputs["policy"])
    assert policy["Statement"][0]["Resource"].endswith(":::logs-" + update.by_name("logs").inputs["bucket"][5:] + "/*")
    assert update.exports["label"] == update.by_name("logs").inputs["bucket"].upper() + "-ALERTS"
    assert update.exports["url"] == f"s3://{update.by_name('logs').inputs['bucket']}/logs/"
    preview = plan("apply_chains", "preview")
    assert type(preview.by_name("shipper-policy").inputs["policy"]).__name__ == "Unknown"
    # The bucket's name is autonamed by the provider's Check, so it is known even in a preview.
    assert preview.exports["label"] == preview.by_name("logs").inputs["bucket"].upper() + "-ALERTS"


def test_a_dynamic_provider_runs_its_create_in_update_and_is_unknown_in_preview():
    update = plan("dynamic_provider", "update")
    assert update.by_name("artifacts").inputs["tags"] == {"label": update.by_name("build-label").id}
    preview = plan("dynamic_provider", "preview")
    assert type(preview.by_name("artifacts").inputs["tags"]["label"]).__name__ == "Unknown"


def test_random_resources_feed_real_ones():
    update = plan("random_values", "update")
    bucket = update.by_name("data").inputs["bucket"]
    assert bucket.startswith("data-") and bucket != "data-"
    assert update.by_name("db-password").inputs["value"]["value"]  # a secret with a plausible value
    preview = plan("random_values", "preview")
    assert type(preview.by_name("data").inputs["bucket"]).__name__ == "Unknown"


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_the_same_program_planned_twice_gives_the_same_recording(mode):
    first, second = plan("apply_chains", mode), plan("apply_chains", mode)
    assert render.to_json(first) == render.to_json(second)
    assert first.exports.keys() == second.exports.keys()


def test_the_shipped_stack_planned_twice_gives_the_same_recording_and_findings():
    from tools.harness.recorder import record_stack

    pack = load_pack(PROGRAMS.parents[2] / "policy")
    runs = [record_stack("dev", mode="preview") for _ in range(2)]
    assert render.to_json(runs[0]) == render.to_json(runs[1])
    reports = [run_pack(pack, r, {}) for r in runs]
    assert reports[0].findings == reports[1].findings


def test_arns_are_parsed_and_unknown_functions_are_recorded():
    from tools.harness.invokes import PlanInvokes, Unknown

    invokes = PlanInvokes(region="eu-west-1")
    assert invokes.call("aws:index/getArn:getArn", {"arn": "arn:aws:s3:eu-west-1:123456789012:bucket/x"}) == {
        "arn": "arn:aws:s3:eu-west-1:123456789012:bucket/x", "partition": "aws", "service": "s3",
        "region": "eu-west-1", "account": "123456789012", "resource": "bucket/x",
        "id": "arn:aws:s3:eu-west-1:123456789012:bucket/x"}
    assert isinstance(invokes.call("aws:rds/getEngineVersion:getEngineVersion", {}), Unknown)
    assert invokes.calls == [("aws:index/getArn:getArn", True), ("aws:rds/getEngineVersion:getEngineVersion", False)]


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_policies_see_the_stack_and_the_dry_run_flag_the_cli_passes(mode):
    import pulumi
    import pulumi_policy

    recording = plan("no_stack_file", mode)
    seen = []

    def spy(args, report):
        seen.append((pulumi.get_project(), pulumi.get_stack(), pulumi.runtime.is_dry_run(),
                     pulumi.Config("aws").get("region")))

    pack = load_pack(PACKS / "kms_logs")
    pack.policies = [pulumi_policy.ResourceValidationPolicy(name="spy", description="spy", validate=spy)]
    run_pack(pack, recording, {}, environment=PackEnvironment("no_stack_file", "dev", {"aws:region": "eu-north-1"},
                                                              dry_run=mode == "preview"))
    assert set(seen) == {("no_stack_file", "dev", mode == "preview", "eu-north-1")}


def test_resource_references_are_marshalled_as_the_engine_marshals_them_for_analyzers():
    from google.protobuf import struct_pb2
    from pulumi.runtime import rpc

    from tools.harness.recorder import resources_as_ids

    def ref(urn: str, **fields: str) -> dict:
        return {rpc._special_sig_key: rpc._special_resource_sig, "urn": urn, **fields}

    struct = struct_pb2.Struct()
    struct.update({"role": ref("urn:a::Role::r", id="r-1"), "parent": ref("urn:a::Comp::c"),
                   "pending": [ref("urn:a::Bucket::b", id="")]})
    converted = resources_as_ids(struct)
    assert converted["role"] == "r-1"  # a custom resource: its id
    assert converted["parent"] == "urn:a::Comp::c"  # a component: its URN
    assert list(converted["pending"]) == [rpc.UNKNOWN]  # an id not known yet: unknown

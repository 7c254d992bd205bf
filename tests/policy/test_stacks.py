"""The shipped stacks pass their policy config; preview unknowns stay advisory; REMEDIATE works end to end."""
from __future__ import annotations

import dataclasses

from google.protobuf import json_format, struct_pb2

from tools.harness.policy_runner import run_pack

from tools.harness.recorder import record_stack

from .conftest import policy_config

LOG_RULE = "aws-cloudwatch-log-group-configure-retention"


def test_prod_stack_has_no_mandatory_violation(pack, prod_recording):
    report = run_pack(pack, prod_recording, policy_config("prod"))
    assert [(f.policy, f.resource_name, f.message) for f in report.mandatory] == []


def test_dev_stack_has_no_mandatory_violation(pack, dev_recording):
    report = run_pack(pack, dev_recording, policy_config("dev"))
    assert [(f.policy, f.resource_name, f.message) for f in report.mandatory] == []


def test_preview_unknowns_surface_as_advisory_not_mandatory(pack):
    recording = record_stack("prod", preview=True)  # a first preview: computed outputs stay unknown
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    assert any(unknown in json_format.MessageToJson(r.inputs_struct) for r in recording.registrations)
    report = run_pack(pack, recording, policy_config("prod"))
    assert report.mandatory == []
    during_preview = [f for f in report.findings if "during preview" in f.message]
    assert during_preview and {f.level for f in during_preview} == {"advisory"}


def _without_retention(recording):
    registrations = list(recording.registrations)
    index = next(i for i, r in enumerate(registrations) if r.type == "aws:cloudwatch/logGroup:LogGroup")
    old = registrations[index]
    values = json_format.MessageToDict(old.inputs_struct)
    values.pop("retentionInDays")
    struct = json_format.ParseDict(values, struct_pb2.Struct())
    registrations[index] = dataclasses.replace(old, inputs=values, inputs_struct=struct)
    return dataclasses.replace(recording, registrations=registrations), old.urn


def test_remediate_level_sets_missing_log_retention_to_the_minimum(pack, dev_recording):
    recording, urn = _without_retention(dev_recording)
    report = run_pack(pack, recording, policy_config("dev"))  # dev runs this rule at REMEDIATE, minimum 14
    fixes = [(policy, fixed_urn, props["retentionInDays"]) for policy, fixed_urn, props in report.remediations]
    assert fixes == [(LOG_RULE, urn, 14)]
    assert not [f for f in report.findings if f.policy == LOG_RULE]  # the remediated inputs pass


def test_without_remediate_level_the_same_change_is_a_mandatory_violation(pack, prod_recording):
    recording, urn = _without_retention(prod_recording)
    report = run_pack(pack, recording, policy_config("prod"))
    assert report.remediations == []
    assert [(f.policy, f.urn) for f in report.mandatory] == [(LOG_RULE, urn)]


def test_first_preview_names_each_resource_a_rule_could_not_read(pack):
    # Given a first preview, where bucket names and policies are not known yet
    recording = record_stack("prod", preview=True)
    report = run_pack(pack, recording, policy_config("prod"))
    # Then the TLS rule reports, as advisory, every bucket it could not check, by name, instead of passing them
    tls = [f for f in report.findings if f.policy == "aws-s3-bucket-enforce-tls"]
    buckets = [r.name for r in recording.registrations if r.type == "aws:s3/bucket:Bucket"]
    assert len(tls) == 1 and tls[0].level == "advisory" and "during preview" in tls[0].message
    assert all(f"{name}:" in tls[0].message for name in buckets), tls[0].message

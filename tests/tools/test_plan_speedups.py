"""The plan's speed-ups change nothing it reports: the recording of the dev stack differs from the one with the
former code archive (an AssetArchive of every file) only in that archive, and the policy results are the same
with and without the servicer memo."""
from __future__ import annotations

import contextlib
from pathlib import Path

import pulumi
import pytest
from google.protobuf import struct_pb2

from components import packaging
from tools.harness import policy_runner
from tools.harness.recorder import record_stack

REPO_ROOT = Path(__file__).resolve().parents[2]
FUNCTION = "aws:lambda/function:Function"


def _asset_archive(name: str, python_version: str = "3.13", architecture: str = "arm64", **_: object):
    """The code archive as it was built before the zip: one FileAsset per entry."""
    entries = packaging.archive_entries(name, python_version, architecture)
    return pulumi.AssetArchive({path: pulumi.FileAsset(str(file)) for path, file in entries.items()})


def _without_code(registration) -> tuple:
    structs = []
    for struct in (registration.inputs_struct, registration.state_struct):
        copy = struct_pb2.Struct()
        copy.CopyFrom(struct)
        if registration.type == FUNCTION:
            del copy.fields["code"]
        structs.append(copy.SerializeToString(deterministic=True))
    return (registration.urn, registration.type, registration.parent, registration.dependencies,
            registration.property_dependencies, registration.protect, registration.id, registration.op,
            registration.provider, registration.options, registration.source, registration.sequence, *structs)


def test_the_zip_changes_only_the_code_archive_of_each_function(dev_recording, monkeypatch):
    monkeypatch.setattr(packaging, "function_archive", _asset_archive)
    former = record_stack("dev")
    assert [_without_code(r) for r in former.registrations] == [_without_code(r) for r in dev_recording.registrations]
    assert former.exports.keys() == dev_recording.exports.keys()
    for before, after in zip(former.by_type(FUNCTION), dev_recording.by_type(FUNCTION)):
        assert before.inputs_struct.fields["code"].struct_value.fields["hash"].string_value  # the asset map's hash
        assert after.inputs_struct.fields["code"].struct_value.fields["path"].string_value.endswith(".zip")


@pytest.mark.parametrize("mode", ["preview", "update"])
def test_policy_results_are_the_same_without_the_servicer_memo(mode, monkeypatch):
    recording = record_stack("dev", mode=mode)
    pack = policy_runner.load_pack(REPO_ROOT / "policy")
    memoised = policy_runner.run_pack(pack, recording)
    monkeypatch.setattr(policy_runner, "memoised_servicer", lambda module: contextlib.nullcontext())
    plain = policy_runner.run_pack(pack, recording)
    assert memoised.findings == plain.findings and memoised.not_applicable == plain.not_applicable
    assert memoised.remediations == plain.remediations
    assert len(memoised.findings) > (200 if mode == "preview" else 0)


def _class_of(name: str) -> type:
    import importlib

    module, _, qualname = name.partition(":")
    parts = module.split(".")
    for end in range(1, len(parts)):
        # Each package loaded first, as a program's `aws.s3.Bucket` does: importing a submodule of a package
        # the pulumi SDK still loads lazily leaves that package without the names its `__init__` binds (it broke
        # `aws.customerprofiles.Domain` for the tests that ran after this one, once the store had prod classes).
        getattr(importlib.import_module(".".join(parts[:end])), "__all__", None)
    value = importlib.import_module(module)
    for part in qualname.split("."):
        value = getattr(value, part)
    return value


def test_stored_property_types_equal_what_the_sdk_resolves(dev_recording):
    import pickle

    from pulumi import _types

    from tools.harness import type_hints

    _, stored = type_hints._load_hints()
    assert len(stored) > 300  # the dev stack's generated classes, stored by its recording
    for name, (_, blob) in stored.items():
        cls = _class_of(name)
        assert pickle.loads(blob) == _types._raw_return_hints.__wrapped__(cls), name


def test_a_stored_entry_of_a_changed_module_is_not_used(tmp_path, monkeypatch):
    import pickle

    import pulumi_aws
    from pulumi import _types

    from tools.harness import type_hints

    cls = pulumi_aws.s3.BucketVersioning
    name = f"{cls.__module__}:{cls.__qualname__}"
    monkeypatch.setattr(type_hints, "HINTS_STORE", tmp_path / "hints.pickle")
    header, _ = type_hints._load_hints()
    stale = type_hints._installed_stamp(cls.__module__)[0] + 1, 0  # another size: the file changed since
    type_hints._save_hints(header, {name: (stale, pickle.dumps({}))})
    resolved_by_the_sdk = _types._raw_return_hints.__wrapped__(cls)
    with type_hints.shared_type_hints():
        assert _types._raw_return_hints(cls) == resolved_by_the_sdk != {}
    _, stored = type_hints._load_hints()
    assert stored[name][0] == type_hints._installed_stamp(cls.__module__)  # replaced by the current one


def test_a_class_of_a_program_run_as_main_is_never_stored(tmp_path, monkeypatch):
    from tools.harness import type_hints

    monkeypatch.setattr(type_hints, "HINTS_STORE", tmp_path / "hints.pickle")
    # Its component class `Estate` is defined in the program's __main__; pytest's own __main__ is installed code.
    recording = record_stack("dev", program_dir=REPO_ROOT / "tests" / "fixtures" / "programs" / "component")
    assert any(r.type == "corpus:web:Estate" for r in recording.registrations)
    _, stored = type_hints._load_hints()
    assert not any(name.startswith("__main__:") for name in stored)


def test_memoised_type_helpers_answer_as_the_sdk_and_raise_as_it_does():
    from typing import Optional, Union

    from pulumi import Input, Output, _types

    from tools.harness.type_hints import _memoised_by_identity

    unwrap = _memoised_by_identity(_types.unwrap_type)
    optional = _memoised_by_identity(_types.unwrap_optional_type)
    for typ in (Input[str], Optional[Input[str]], Output[int], Input[Optional[dict]], Optional[str]):
        for _ in range(2):  # computed, then remembered
            assert unwrap(typ) == _types.unwrap_type(typ)
            assert optional(typ) == _types.unwrap_optional_type(typ)
    assert unwrap(Union[str, int]) == _types.unwrap_type(Union[str, int])
    calls = []

    def failing(typ: object) -> object:
        calls.append(typ)
        raise AssertionError("not an input type")

    memoised = _memoised_by_identity(failing)
    for _ in range(2):  # an error is raised every time, never remembered as an answer
        with pytest.raises(AssertionError):
            memoised(int)
    assert calls == [int, int]


def test_the_stack_trace_sent_with_a_registration_is_the_sdks():
    from pulumi.runtime import resource as sdk

    from tools.harness import runtime

    captured = {}

    class Base:  # Resource.__init__, then CustomResource.__init__, then the concrete class, as the SDK expects
        def __init__(self) -> None:
            captured["sdk"], captured["harness"] = sdk._get_stack_trace(), runtime._stack_trace()

    class Custom(Base):
        def __init__(self) -> None:
            super().__init__()

    class Concrete(Custom):
        def __init__(self) -> None:
            super().__init__()

    for _ in range(2):  # the second time from the memo of frames
        Concrete()
        assert captured["harness"] == captured["sdk"] and len(captured["sdk"].frames) > 3
        assert captured["harness"].frames[0].pc.uri == Path(__file__).as_uri()


@pytest.mark.parametrize("version", ["3.272.0", "3.999.0"])
def test_sdk_replacements_apply_only_to_the_sdk_version_they_were_checked_against(monkeypatch, version):
    """On any other pulumi version the harness runs the SDK's own Output tracking and type helpers."""
    import pulumi
    import pulumi._version
    from pulumi import _types

    from tools.harness import runtime, type_hints

    monkeypatch.setattr(pulumi._version, "_VERSION", version)
    track, helpers = pulumi.Output._track, {name: getattr(_types, name) for name in type_hints._PURE_TYPE_HELPERS}
    checked = version == runtime.TRACKED_OUTPUTS_VERSION == type_hints.MEMOISED_TYPES_VERSION
    with runtime.quick_rpc_wait(), type_hints.shared_type_hints():
        assert (pulumi.Output._track is not track) == checked
        assert all((getattr(_types, name) is not helper) == checked for name, helper in helpers.items())
    assert pulumi.Output._track is track  # and both are put back afterwards
    assert all(getattr(_types, name) is helper for name, helper in helpers.items())

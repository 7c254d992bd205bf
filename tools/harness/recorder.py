"""Run a Pulumi Python program under the mock runtime and record every resource it registers.

The recording holds what the engine would see: type, name, parent, dependencies, property dependencies,
inputs (as the wire Struct and as plain values), the resulting state, protect, and the stack's exports.
"""
from __future__ import annotations

import asyncio
import hashlib
import os
import runpy
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.sync_await import _sync_await

from .mocks import PlanMocks

STACK_TYPE = "pulumi:pulumi:Stack"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
_SIG_KEY, _ARCHIVE_SIG = rpc._special_sig_key, rpc._special_archive_sig


def compact_archives(struct: struct_pb2.Struct) -> struct_pb2.Struct:
    """Replace the asset map of code archives by its hash (an empty map plus `hash`, still a valid archive).

    A vendored function has thousands of entries; the policy servicer deserialises every resource's inputs once
    per policy, so the full map would make the pack's run time grow with the size of the dependencies.
    """
    compact = struct_pb2.Struct()
    compact.CopyFrom(struct)

    def visit(value: struct_pb2.Struct) -> None:
        fields = value.fields
        if _SIG_KEY in fields and fields[_SIG_KEY].string_value == _ARCHIVE_SIG and "assets" in fields:
            digest = hashlib.sha256(fields["assets"].SerializeToString(deterministic=True)).hexdigest()
            fields["assets"].CopyFrom(struct_pb2.Value(struct_value=struct_pb2.Struct()))
            fields["hash"].string_value = digest
            return
        for item in fields.values():
            if item.HasField("struct_value"):
                visit(item.struct_value)
            elif item.HasField("list_value"):
                for element in item.list_value.values:
                    if element.HasField("struct_value"):
                        visit(element.struct_value)

    visit(compact)
    return compact


@dataclass
class Registration:
    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    protect: bool
    inputs: dict[str, Any]
    inputs_struct: struct_pb2.Struct
    state_struct: struct_pb2.Struct = field(default_factory=struct_pb2.Struct)
    state: dict[str, Any] = field(default_factory=dict)
    id: str | None = None


@dataclass
class Recording:
    project: str
    stack: str
    registrations: list[Registration]
    exports: dict[str, Any]

    def by_type(self, type_token: str) -> list[Registration]:
        return [r for r in self.registrations if r.type == type_token]

    def by_name(self, name: str, custom: bool = True) -> Registration:
        """The one resource (or, with custom=False, component) of that logical name."""
        matches = [r for r in self.registrations if r.name == name and r.custom == custom]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources named {name!r}")
        return matches[0]

    def children(self, parent_urn: str) -> list[Registration]:
        return [r for r in self.registrations if r.parent == parent_urn]

    def descendants(self, urn: str) -> list[Registration]:
        """Children, their children, and so on (depth first)."""
        found = []
        for child in self.children(urn):
            found.append(child)
            found.extend(self.descendants(child.urn))
        return found


class RecordingMonitor(MockMonitor):
    """MockMonitor that keeps the whole RegisterResourceRequest, not only the mock's state."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registrations: list[Registration] = []
        self.stack_urn = ""

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # The engine does not qualify top-level resources with the Stack type; the stock mock does.
        if parent and parent.split("::")[2].split("$")[-1] == STACK_TYPE:
            parent = ""
        return super().make_urn(parent, type_, name)

    def RegisterResource(self, request):  # noqa: N802 (gRPC method name)
        response = super().RegisterResource(request)
        if request.type == STACK_TYPE:
            self.stack_urn = response.urn
            return response
        parent = "" if request.parent == self.stack_urn else request.parent
        registration = Registration(
            urn=response.urn, type=request.type, name=request.name, custom=bool(request.custom), parent=parent,
            dependencies=[d for d in request.dependencies if d != self.stack_urn],
            property_dependencies={k: list(v.urns) for k, v in request.propertyDependencies.items()},
            protect=bool(request.protect), inputs=rpc.deserialize_properties(request.object, keep_unknowns=True),
            inputs_struct=compact_archives(request.object), state_struct=compact_archives(response.object),
            id=response.id or None)
        registration.state = rpc.deserialize_properties(response.object, keep_unknowns=True)
        self.registrations.append(registration)
        return response


@contextmanager
def _program_environment(program_dir: Path) -> Iterator[None]:
    """cwd and sys.path as the Python language host sets them; modules the program loads are dropped afterwards
    so the next run (another stack or another program) imports them afresh. Modules loaded before the run (by
    the caller, e.g. a test) are left alone: replacing them would split the caller's view of them in two."""
    old_cwd, old_path = os.getcwd(), list(sys.path)
    old_env = dict(os.environ)
    preloaded = set(sys.modules)
    os.chdir(program_dir)
    sys.path.insert(0, str(program_dir))
    try:
        yield
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path
        os.environ.clear()
        os.environ.update(old_env)
        for name in set(sys.modules) - preloaded:
            origin = getattr(sys.modules[name], "__file__", None) or ""
            if origin.startswith(str(program_dir) + os.sep) and "site-packages" not in origin:
                module = sys.modules.pop(name)
                # A kept parent package still holds the dropped submodule as an attribute, and `from . import x`
                # would hand the stale module (bound to dropped classes) to the next run: forget it there too.
                parent_name, _, attribute = name.rpartition(".")
                parent = sys.modules.get(parent_name)
                if parent is not None and getattr(parent, attribute, None) is module:
                    delattr(parent, attribute)


def run_program(program_dir: Path, main: str, project: str, stack: str, config: Mapping[str, str], *,
                preview: bool = False, secret_keys: tuple[str, ...] = ()) -> Recording:
    """Run `main` of the program in `program_dir` under mocks with `config`; return what it registered."""
    program_dir = program_dir.resolve()
    asyncio.set_event_loop(asyncio.new_event_loop())
    # The root Stack (and its stack transformations) otherwise leaks from one run into the next.
    pulumi.runtime.settings.reset_options(project=project, stack=stack, preview=preview)
    monitor = RecordingMonitor(PlanMocks(region=str(config.get("aws:region", "us-east-1")), first_preview=preview))
    pulumi.runtime.set_mocks(monitor.mocks, project=project, stack=stack, preview=preview, monitor=monitor)
    pulumi.runtime.set_all_config(dict(config), list(secret_keys))
    entry = program_dir / main
    if entry.is_dir():
        entry = entry / "__main__.py"
    exports: dict[str, Any] = {}

    def program() -> pulumi.Output:
        runpy.run_path(str(entry), run_name="__main__")
        # Under mocks the root Stack never registers its outputs; resolve `pulumi.export`s ourselves.
        root = pulumi.runtime.settings.get_root_resource()
        return pulumi.Output.from_input(dict(getattr(root, "outputs", {}))).apply(exports.update)

    with _program_environment(program_dir):
        os.environ["PULUMI_CONFIG"] = "{}"  # a developer's shell must not leak config into the plan
        pulumi.runtime.test(program)()
    return Recording(project=project, stack=stack, registrations=monitor.registrations, exports=exports)


def struct_from(values: Mapping[str, Any]) -> struct_pb2.Struct:
    """Serialize plain values to the wire Struct (what the engine sends a policy pack)."""
    return _sync_await(rpc.serialize_properties(dict(values), {}))


def record_stack(stack: str, overrides: Mapping[str, str] | None = None, *, preview: bool = False,
                 program_dir: Path = PROJECT_ROOT) -> Recording:
    """Run a project's program (this repository's by default) with a stack file's config, optionally overriding
    keys (values as the CLI passes them), as `tools.plan` does."""
    from .project import load_project, stack_config

    project = load_project(program_dir)
    config = {**stack_config(project, stack), **(overrides or {})}
    return run_program(project.directory, project.main, project.name, stack, config, preview=preview)

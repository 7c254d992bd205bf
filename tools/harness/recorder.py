"""Run a Pulumi Python program the way the Python language host does, against a recording mock monitor.

The program runs in `run_in_stack` (the language host's entry point) with the stack's config, project, stack and
dry-run flag; every RegisterResource/ReadResource/Invoke is answered by `PlanMocks`/`PlanInvokes` and recorded as
the engine would see it: type, name, parent, dependencies, property dependencies, options, and the inputs as
the wire Struct with resource references turned into the referenced id (custom) or URN (component), which is
how the engine hands them to analyzers. Exports come from the root stack's registered outputs.
"""
from __future__ import annotations

import asyncio
import json
import os
import runpy
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockEngine, MockMonitor, MockSettings
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.sync_await import _sync_await

from .default_providers import PROVIDER_PREFIX, DefaultProviders, default_name
from .invokes import CURRENT_INVOKE, PlanInvokes, Unknown, traced_invokes
from .mocks import PREVIEW, UPDATE, PlanMocks
from .recording import Recording, Registration, compact_archives, resources_as_ids, struct_from
from .recording import request_options as _options
from .runtime import InlineLoop, collector_paused, quick_rpc_wait, run_bounded
from .transforms import InProcessCallbacks, TransformChains
from .type_hints import shared_type_hints

__all__ = ["Recording", "Registration", "RecordingMonitor", "STACK_TYPE", "compact_archives", "record_stack",
           "resources_as_ids", "run_program", "struct_from"]

STACK_TYPE = "pulumi:pulumi:Stack"
STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference"
GET_RESOURCE = "pulumi:pulumi:getResource"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TIMEOUT = 300.0


class RecordingMonitor(MockMonitor):
    """A resource monitor that answers from PlanMocks/PlanInvokes and keeps every request, synchronously (no
    event loop of its own, no re-hydration of resource references into new resources)."""

    def __init__(self, mocks: PlanMocks, invokes: PlanInvokes | None = None,
                 stack_outputs: Mapping[str, Mapping[str, Any]] | None = None,
                 config: Mapping[str, str] | None = None, secret_keys: tuple[str, ...] = ()) -> None:
        super().__init__(mocks)  # type: ignore[arg-type]
        self.invokes = invokes or PlanInvokes(mocks.region)
        self.stack_outputs = dict(stack_outputs or {})
        self.registrations: list[Registration] = []
        self.stack_urn = ""
        self.exports: dict[str, Any] = {}
        self.constructed: dict[tuple[str, str], str] = {}  # (type, name) -> "register" | "read", until answered
        self.pending_invokes: dict[int, str] = {}
        # Construction order per (type, name): registrations arrive in input-resolution order, which depends on
        # the iteration order of sets of resources; the recording is put back in program order.
        self.sequence: dict[tuple[str, str], list[int]] = {}
        self._constructed_count = 0
        self.transforms = TransformChains()
        self.defaults = DefaultProviders(config, secret_keys)

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # The engine does not qualify top-level resources with the Stack type; the stock mock does.
        if parent and parent.split("::")[2].split("$")[-1] == STACK_TYPE:
            parent = ""
        return super().make_urn(parent, type_, name)

    def _record(self, request: Any, urn: str, op: str, inputs_struct: struct_pb2.Struct,
                state_struct: struct_pb2.Struct, resource_id: str | None, custom: bool,
                inputs: dict[str, Any] | None = None, state: dict[str, Any] | None = None) -> Registration:
        parent = "" if request.parent == self.stack_urn else request.parent
        position = getattr(request, "sourcePosition", None)
        registration = Registration(
            urn=urn, type=request.type, name=request.name, custom=custom, parent=parent,
            # The SDK builds these from sets: sorted, so the same program gives the same recording.
            dependencies=sorted(d for d in getattr(request, "dependencies", []) if d != self.stack_urn),
            property_dependencies={k: sorted(v.urns) for k, v in sorted(
                getattr(request, "propertyDependencies", {}).items())},
            protect=bool(getattr(request, "protect", False)),
            inputs=rpc.deserialize_properties(inputs_struct, keep_unknowns=True) if inputs is None else inputs,
            inputs_struct=inputs_struct, state_struct=state_struct,
            state=rpc.deserialize_properties(state_struct, keep_unknowns=True) if state is None else state,
            id=resource_id, op=op, provider=request.provider,
            options=_options(request) if op == "create" else {"protect": False},
            source=f"{position.uri.removeprefix('file://')}:{position.line}" if position and position.uri else "")
        queue = self.sequence.get((request.type, request.name))
        registration.sequence = queue.pop(0) if queue else len(self.registrations) + 1_000_000
        self.registrations.append(registration)
        self.constructed.pop((request.type, request.name), None)
        return registration

    def RegisterResource(self, request):  # noqa: N802 (gRPC method name)
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == STACK_TYPE:
            self.stack_urn = urn
            self._record(request, urn, "create", struct_pb2.Struct(), struct_pb2.Struct(), None, False)
            return resource_pb2.RegisterResourceResponse(urn=urn)
        tokens = self.transforms.chain(urn, request)
        if tokens:  # the engine calls the transforms before it registers: an awaitable answer (InlineLoop)
            return self._register_transformed(urn, request, tokens)
        return self._register(urn, request)

    async def _register_transformed(self, urn: str, request: Any, tokens: list[str]) -> Any:
        return self._register(urn, await self.transforms.apply(request, tokens))

    def RegisterStackTransform(self, request):  # noqa: N802
        self.transforms.stack.append(request.token)  # applies to resources registered from now on
        return empty_pb2.Empty()

    def RegisterStackInvokeTransform(self, request):  # noqa: N802
        self.transforms.invoke_stack.append(request.token)
        return empty_pb2.Empty()

    def _default_provider(self, type_or_token: str, request: Any) -> Registration | None:
        """Point the request at its package's default provider, registering that provider the first time."""
        package = self.defaults.needed(type_or_token, request.provider)
        if package is None:
            return None
        key = (package, request.version, request.pluginDownloadURL)
        fresh = None
        if key not in self.defaults.refs:
            provider = resource_pb2.RegisterResourceRequest(
                type=f"{PROVIDER_PREFIX}{package}", name=default_name(request.version, request.pluginDownloadURL),
                custom=True, object=struct_from(self.defaults.inputs(*key)))
            provider_urn = self.make_urn("", provider.type, provider.name)
            self._register(provider_urn, provider)
            fresh = self.registrations[-1]
            self.defaults.refs[key] = f"{provider_urn}::{fresh.id}"
        request.provider = self.defaults.refs[key]
        return fresh

    def _register(self, urn: str, request: Any) -> Any:
        custom = bool(request.custom)
        fresh = self._default_provider(request.type, request) if custom else None
        raw = compact_archives(resources_as_ids(request.object), copy=False)
        inputs = rpc.deserialize_properties(raw, keep_unknowns=True)
        checked = self.mocks.check(request.type, request.name, inputs) if custom else inputs
        resource_id, state = self.mocks.create(request.type, request.name, checked, custom)
        inputs_struct = raw
        if checked is not inputs:
            inputs_struct = struct_pb2.Struct()
            inputs_struct.CopyFrom(raw)
            inputs_struct.MergeFrom(struct_from({k: v for k, v in checked.items() if k not in inputs}))
        state_struct = struct_pb2.Struct()
        state_struct.CopyFrom(inputs_struct)
        extra = {k: v for k, v in state.items() if checked.get(k, state) is not v}
        if extra:
            state_struct.MergeFrom(struct_from(extra))
        registration = self._record(request, urn, "create", inputs_struct, state_struct, resource_id, custom,
                                    dict(checked), dict(state))
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, resource_id, state)
        if fresh is not None:  # the engine registers a default provider just before its first user
            fresh.sequence = registration.sequence - 0.5
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id or "", object=state_struct)

    def ReadResource(self, request):  # noqa: N802
        """`Resource.get(...)` and StackReference: nothing can be read offline, so outputs are unknown, except a
        StackReference to a stack whose outputs the caller gave (`stack_outputs`, for tests)."""
        urn = self.make_urn(request.parent, request.type, request.name)
        fresh = self._default_provider(request.type, request)
        inputs = compact_archives(resources_as_ids(request.properties), copy=False)
        registration = self._record(request, urn, "read", inputs, inputs, request.id, True)
        if fresh is not None:
            fresh.sequence = registration.sequence - 0.5
        if request.type == STACK_REFERENCE_TYPE and request.id in self.stack_outputs:
            state = struct_pb2.Struct()
            state.CopyFrom(inputs)
            state.MergeFrom(struct_from({"outputs": dict(self.stack_outputs[request.id]), "secretOutputNames": []}))
            return resource_pb2.ReadResourceResponse(urn=urn, properties=state)
        return resource_pb2.ReadResourceResponse(urn=urn, properties=inputs, unknown=True)

    def RegisterResourceOutputs(self, request):  # noqa: N802
        outputs = rpc.deserialize_properties(request.outputs, keep_unknowns=True)
        if request.urn == self.stack_urn:
            self.exports = outputs
        for registration in self.registrations:
            if registration.urn == request.urn and not registration.custom:
                registration.state = outputs
                registration.state_struct = compact_archives(request.outputs)
        return empty_pb2.Empty()

    def Invoke(self, request):  # noqa: N802
        if request.tok == GET_RESOURCE:  # the engine answers it itself (a resource reference rehydrated)
            known = self.resources.get(rpc.deserialize_properties(request.args)["urn"])
            if known is None:
                raise Exception(f"unknown resource {request.args['urn']}")
            return resource_pb2.ResourceInvokeResponse(**{"return": struct_from(
                {"urn": known.urn, "id": known.id or rpc.UNKNOWN, "state": dict(known.state)})})
        if self.transforms.invoke_stack:
            request = _sync_await(self.transforms.apply_invoke(request))
        fresh = self._default_provider(request.tok, request)
        if fresh is not None:
            fresh.sequence = self._constructed_count + 0.5
        trace = CURRENT_INVOKE.get()
        key = id(request)
        self.pending_invokes[key] = request.tok
        try:
            args = rpc.deserialize_properties(resources_as_ids(request.args), keep_unknowns=True)
            result = self.invokes.call(request.tok, args)
        finally:
            self.pending_invokes.pop(key, None)
        if isinstance(result, Unknown):
            if trace is not None:
                trace.unknown = True
            if trace is None or trace.output_form:
                return resource_pb2.ResourceInvokeResponse(unknown=True)
            return resource_pb2.ResourceInvokeResponse(**{"return": struct_pb2.Struct()})
        return resource_pb2.ResourceInvokeResponse(**{"return": struct_from(result)})

    def describe_pending(self) -> list[str]:
        waiting = [f"{'read of ' if how == 'read' else ''}{typ} '{name}' (its inputs never resolved)"
                   for (typ, name), how in self.constructed.items()]
        waiting += [f"invoke {tok}" for tok in self.pending_invokes.values()]
        return waiting

    @contextmanager
    def tracking_construction(self) -> Iterator[None]:
        """Note every resource the program constructs, so a bound that expires can name the ones never sent."""
        module = sys.modules["pulumi.resource"]
        register, read = module.register_resource, module.read_resource

        def note(ty: str, name: str, how: str) -> None:
            self.constructed[(ty, name)] = how
            self._constructed_count += 1
            self.sequence.setdefault((ty, name), []).append(self._constructed_count)

        def traced_register(res, ty, name, *args, **kwargs):
            note(ty, name, "register")
            return register(res, ty, name, *args, **kwargs)

        def traced_read(res, ty, name, *args, **kwargs):
            note(ty, name, "read")
            return read(res, ty, name, *args, **kwargs)

        module.register_resource, module.read_resource = traced_register, traced_read
        try:
            yield
        finally:
            module.register_resource, module.read_resource = register, read


@contextmanager
def _program_environment(program_dir: Path, config: Mapping[str, str], secret_keys: tuple[str, ...]
                         ) -> Iterator[None]:
    """cwd, sys.path and environment as the Python language host sets them; modules the program loads are dropped
    afterwards so the next run (another stack or another program) imports them afresh. Modules loaded before the
    run (by the caller, e.g. a test) are left alone: replacing them would split the caller's view in two."""
    old_cwd, old_path, old_env, old_argv = os.getcwd(), list(sys.path), dict(os.environ), list(sys.argv)
    preloaded = set(sys.modules)
    os.chdir(program_dir)
    sys.path.insert(0, str(program_dir))
    os.environ["PULUMI_CONFIG"] = json.dumps(dict(config))  # a developer's shell must not leak config in
    os.environ["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(secret_keys))
    try:
        yield
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path
        sys.argv[:] = old_argv
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
                preview: bool = False, mode: str | None = None, secret_keys: tuple[str, ...] = (),
                timeout: float = DEFAULT_TIMEOUT,
                stack_outputs: Mapping[str, Mapping[str, Any]] | None = None) -> Recording:
    """Run `main` of the program in `program_dir` with `config` (values as the CLI passes them) and return what
    it registered. `mode` is `preview` (dry run, computed outputs unknown) or `update` (the default here:
    outputs filled with plausible values); `preview=True` is shorthand for `mode="preview"`. The program's own
    exceptions propagate unchanged; a program still running after `timeout` seconds raises PlanTimeout.
    `stack_outputs` ({"org/project/stack": {output: value}}) answers StackReferences to those stacks; every other
    StackReference reads as unknown, as offline it must."""
    mode = mode or (PREVIEW if preview else UPDATE)
    program_dir = program_dir.resolve()
    entry = program_dir / main
    if entry.is_dir():
        entry = entry / "__main__.py"
    dry_run = mode == PREVIEW
    loop = InlineLoop()
    asyncio.set_event_loop(loop)
    # A fresh settings bag and no root Stack: nothing leaks from one run into the next.
    pulumi.runtime.settings.reset_options(project=project, stack=stack, preview=dry_run, organization="organization")
    region = str(config.get("aws:region", "us-east-1"))
    monitor = RecordingMonitor(PlanMocks(region=region, mode=mode), PlanInvokes(region=region), stack_outputs,
                               config, secret_keys)
    monitor.transforms.callbacks = InProcessCallbacks(monitor, loop)
    MockSettings(monitor=monitor, monitor_features=set(monitor.GetDeploymentInfo(empty_pb2.Empty()).supportedFeatures),
                 engine=MockEngine(None), project=project, stack=stack, dry_run=dry_run,
                 organization="organization", callbacks=monitor.transforms.callbacks)
    pulumi.runtime.set_all_config(dict(config), list(secret_keys))
    program = pulumi.runtime.stack.run_in_stack(lambda: runpy.run_path(str(entry), run_name="__main__"))
    try:
        with _program_environment(program_dir, config, secret_keys), traced_invokes(), \
                monitor.tracking_construction(), collector_paused(), quick_rpc_wait(), shared_type_hints():
            sys.argv[:] = [str(entry)]
            run_bounded(loop, program, timeout, monitor.describe_pending)
    finally:
        _close(loop)
    for registration in monitor.registrations:  # positions relative to the program: the same plan anywhere
        if registration.source.startswith(str(program_dir) + os.sep):
            registration.source = registration.source[len(str(program_dir)) + 1:]
    registrations = sorted((r for r in monitor.registrations if r.type != STACK_TYPE), key=lambda r: r.sequence)
    stack_registration = next((r for r in monitor.registrations if r.type == STACK_TYPE), None)
    return Recording(project=project, stack=stack, registrations=registrations, exports=monitor.exports,
                     mode=mode, stack_registration=stack_registration, invokes=list(monitor.invokes.calls))


def _close(loop: asyncio.AbstractEventLoop) -> None:
    """Cancel what a failed program left behind (outputs that will never resolve), quietly, then close."""
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    if pending and not loop.is_closed():
        # Bounded too: a task that swallows its cancellation must not hang the plan on the way out.
        loop.run_until_complete(asyncio.wait(pending, timeout=2.0))
    loop.close()


def record_stack(stack: str, overrides: Mapping[str, str] | None = None, *, preview: bool = False,
                 program_dir: Path = PROJECT_ROOT, mode: str | None = None,
                 stack_outputs: Mapping[str, Mapping[str, Any]] | None = None) -> Recording:
    """Run a project's program (this repository's by default) with a stack file's config, optionally overriding
    keys (values as the CLI passes them), as `tools.plan` does."""
    from .project import load_project, stack_config

    project = load_project(program_dir)
    stack_values = stack_config(project, stack)
    config = {**stack_values.values, **(overrides or {})}
    return run_program(project.directory, project.main, project.name, stack, config, preview=preview, mode=mode,
                       secret_keys=stack_values.secret_keys, stack_outputs=stack_outputs)

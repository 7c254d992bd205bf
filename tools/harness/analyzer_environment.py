"""What the CLI gives an analyzer process besides requests: the stack's environment; and a memo that spares the
in-process servicer converting the same message again and again."""
from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format

from ..environment import environment_variables


@dataclass(frozen=True)
class PackEnvironment:
    """What the CLI tells an analyzer about the stack (`PolicyAnalyzerOptions`)."""
    project: str
    stack: str
    config: Mapping[str, str] = field(default_factory=dict)
    dry_run: bool = True


@contextmanager
def pack_environment(environment: PackEnvironment | None) -> Iterator[None]:
    if environment is None:
        yield
        return
    with environment_variables({
            "PULUMI_PROJECT": environment.project, "PULUMI_STACK": environment.stack,
            "PULUMI_DRY_RUN": "true" if environment.dry_run else "false",
            "PULUMI_CONFIG": json.dumps(dict(environment.config)) if environment.config else None}):
        yield


def _value_to_json(value: Any) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "struct_value":
        return struct_to_json(value.struct_value)
    if kind == "list_value":
        return [_value_to_json(item) for item in value.list_value.values]
    if kind == "bool_value":
        return value.bool_value
    if kind == "number_value":
        number = value.number_value
        if math.isinf(number) or math.isnan(number):  # json_format's own error
            return json_format.MessageToDict(value)
        return number
    return None  # null_value, or no kind set (json_format: null)


def struct_to_json(struct: Any) -> dict[str, Any]:
    """`json_format.MessageToDict` of a `google.protobuf.Struct`, value for value (its Struct, Value and
    ListValue cases: strings, booleans and doubles as they are, null or unset as None), without its per-field
    descriptor dispatch: about 4x faster on a resource's properties."""
    fields = struct.fields
    return {key: _value_to_json(fields[key]) for key in fields}


class MemoJsonFormat:
    """The servicer converts every resource's properties to a dict once per policy (AnalyzeStack: once per stack
    policy per resource); the conversion of one message is the same each time, and nothing mutates it, so it is
    done once, a Struct by `struct_to_json`, and Structs of equal content (a resource's inputs and its state in a
    preview) share one dict, so the Python values and the proxy built from it are shared too. Everything else is
    protobuf's json_format."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, Any]] = {}
        self._by_content: dict[bytes, dict[str, Any]] = {}

    def MessageToDict(self, message, *args, **kwargs):  # noqa: N802 (json_format's name)
        hit = self._memo.get(id(message))
        if hit is None or hit[0] is not message or args or kwargs:
            if not args and not kwargs and message.DESCRIPTOR.full_name == "google.protobuf.Struct":
                content = message.SerializeToString(deterministic=True)
                converted = self._by_content.get(content)
                if converted is None:
                    converted = self._by_content[content] = struct_to_json(message)
            else:
                converted = json_format.MessageToDict(message, *args, **kwargs)
            hit = (message, converted)
            self._memo[id(message)] = hit
        return hit[1]

    def __getattr__(self, name: str) -> Any:
        return getattr(json_format, name)


class _Memo:
    """f(value, *args) computed once per (value object, args) while the analysis runs; values are kept alive so
    an id is never reused."""

    def __init__(self, function: Any) -> None:
        self._function = function
        self._memo: dict[tuple[int, tuple], tuple[Any, Any]] = {}

    def __call__(self, value: Any, *args: Any) -> Any:
        key = (id(value), args)
        hit = self._memo.get(key)
        if hit is None or hit[0] is not value:
            hit = (value, self._function(value, *args))
            self._memo[key] = hit
        return hit[1]


_ANALYZER_VARIABLES = ("PULUMI_CONFIG", "PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_DRY_RUN", "PULUMI_ORGANIZATION")


def _configured_once(configure: Any) -> Any:
    """The servicer re-reads the stack's config and settings from the environment before every request (parsing
    PULUMI_CONFIG, setting each key, inspecting Settings' signature: about 0.1 ms each, twice per resource);
    within one analysis the environment is fixed, so it is applied again only when it changed."""
    applied: list[tuple] = []

    def configure_runtime_settings(servicer: Any) -> None:
        current = tuple(os.environ.get(name) for name in _ANALYZER_VARIABLES)
        if applied and applied[0] == current:
            return
        configure(servicer)
        applied[:] = [current]

    return configure_runtime_settings


def _per_request(method: Any) -> Any:
    """A servicer method that only reads its request message, computed once per message."""
    memo: dict[int, tuple[Any, Any]] = {}

    def once(servicer: Any, request: Any) -> Any:
        hit = memo.get(id(request))
        if hit is None or hit[0] is not request:  # the request is kept alive, so its id is never reused
            hit = (request, method(servicer, request))
            memo[id(request)] = hit
        return hit[1]

    return once


def _per_provider(method: Any) -> Any:
    """The servicer's provider object of a request, built once per provider: each request carries a copy of one
    of the stack's few provider messages, so the key is that message's content."""
    memo: dict[tuple, Any] = {}

    def provider_resource(servicer: Any, request: Any) -> Any:
        if not request.HasField("provider"):
            return None
        provider = request.provider
        key = (provider.type, provider.urn, provider.name,
               provider.properties.SerializeToString(deterministic=True))
        if key not in memo:
            memo[key] = method(servicer, request)
        return memo[key]

    return provider_resource


@contextmanager
def memoised_servicer(module: Any) -> Iterator[None]:
    """The servicer turns each resource's properties into a dict, then Python values, then a read-only proxy,
    once per policy (AnalyzeStack: once per stack policy per resource), and builds its options and provider
    objects as often. Each step gives the same result for the same message, and policies only read them, so
    each is done once per message: the options objects are shared by the policies that see one resource, and a
    provider object by every resource of that provider, as the property proxies are (pulumi-policy builds a
    copy per policy; a policy that modified one would see its change in the next). The runtime settings are applied once per analysis environment, and
    AnalyzeStack builds the stack's resources once for all stack policies (`stack_analysis`)."""
    from .stack_analysis import shared_analyze_stack

    servicer = module._PolicyAnalyzerServicer
    saved = (module.json_format, module.deserialize_properties, module.unknown_checking_proxy,
             servicer._configure_runtime_settings, servicer._get_resource_options, servicer._get_provider_resource,
             servicer.AnalyzeStack)
    module.json_format = MemoJsonFormat()
    module.deserialize_properties = _Memo(saved[1])
    module.unknown_checking_proxy = _Memo(saved[2])
    servicer._configure_runtime_settings = _configured_once(saved[3])
    servicer._get_resource_options = _per_request(saved[4])
    servicer._get_provider_resource = _per_provider(saved[5])
    servicer.AnalyzeStack = shared_analyze_stack(module) or saved[6]
    try:
        yield
    finally:
        (module.json_format, module.deserialize_properties, module.unknown_checking_proxy,
         servicer._configure_runtime_settings, servicer._get_resource_options,
         servicer._get_provider_resource, servicer.AnalyzeStack) = saved

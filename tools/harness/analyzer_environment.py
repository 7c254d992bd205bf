"""What the CLI gives an analyzer process besides requests: the stack's environment; and a memo that spares the
in-process servicer converting the same message again and again."""
from __future__ import annotations

import json
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


class MemoJsonFormat:
    """The servicer converts every resource's properties to a dict once per policy (AnalyzeStack: once per stack
    policy per resource); the conversion of one message is the same each time, and nothing mutates it, so it is
    done once. Everything else is protobuf's json_format."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[Any, Any]] = {}

    def MessageToDict(self, message, *args, **kwargs):  # noqa: N802 (json_format's name)
        hit = self._memo.get(id(message))
        if hit is None or hit[0] is not message or args or kwargs:
            hit = (message, json_format.MessageToDict(message, *args, **kwargs))
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


@contextmanager
def memoised_servicer(module: Any) -> Iterator[None]:
    """The servicer turns each resource's properties into a dict, then Python values, then a read-only proxy,
    once per policy (AnalyzeStack: once per stack policy per resource). Each step gives the same result for the
    same message, and policies only read the proxy, so each is done once per message."""
    saved = module.json_format, module.deserialize_properties, module.unknown_checking_proxy
    module.json_format = MemoJsonFormat()
    module.deserialize_properties = _Memo(saved[1])
    module.unknown_checking_proxy = _Memo(saved[2])
    try:
        yield
    finally:
        module.json_format, module.deserialize_properties, module.unknown_checking_proxy = saved

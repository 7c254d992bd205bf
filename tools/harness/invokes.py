"""Provider functions (invokes) offline: computed when pure, stack-consistent for the account/region/partition
ones, unknown for everything else (a data source we cannot read offline), never a silent empty result.

An unknown result follows preview semantics: the output form (`get_ami_output`) resolves to an unknown Output;
the plain form (`get_ami`) returns a result whose strings carry Pulumi's unknown marker, so a resource input built
from it is recorded as unknown (and a policy that reads it says it can't run during preview) instead of vanishing.
"""
from __future__ import annotations

import contextvars
import sys
import typing
from collections import abc
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pulumi import _types
from pulumi.runtime import rpc
from pulumi.runtime.invoke import InvokeResult

from .policy_document import policy_document

ACCOUNT_ID = "123456789012"
PARTITION = "aws"
UNKNOWN = rpc.UNKNOWN


class Unknown:
    """Returned by `PlanInvokes.call` for a function whose result cannot be known offline."""


@dataclass
class InvokeTrace:
    """The invoke being served: set by `traced_invokes`, read and marked by the monitor."""
    result_type: Any
    output_form: bool
    unknown: bool = False


CURRENT_INVOKE: contextvars.ContextVar[InvokeTrace | None] = contextvars.ContextVar("plan_invoke", default=None)


@dataclass
class PlanInvokes:
    region: str = "us-east-1"
    calls: list[tuple[str, bool]] = field(default_factory=list)  # (token, computed?) in call order

    def call(self, token: str, args: Mapping[str, Any]) -> dict[str, Any] | Unknown:
        result = self._compute(token, dict(args))
        self.calls.append((token, not isinstance(result, Unknown)))
        return result

    def _compute(self, token: str, args: dict[str, Any]) -> dict[str, Any] | Unknown:
        region = args.get("region") or self.region
        if token == "aws:iam/getPolicyDocument:getPolicyDocument":
            return policy_document(args)
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"accountId": ACCOUNT_ID, "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/plan", "userId": "AIDAPLAN",
                    "id": ACCOUNT_ID}
        if token == "aws:index/getRegion:getRegion":
            return {"name": region, "region": region, "id": region, "endpoint": f"ec2.{region}.amazonaws.com",
                    "description": region}
        if token == "aws:index/getPartition:getPartition":
            return {"partition": PARTITION, "dnsSuffix": "amazonaws.com", "id": PARTITION,
                    "reverseDnsPrefix": "com.amazonaws"}
        if token == "aws:index/getAvailabilityZones:getAvailabilityZones":
            # Plausible, derived from the stack's region: three zones, as every commercial region has at least.
            names = [f"{region}{suffix}" for suffix in "abc"]
            return {**args, "names": names, "zoneIds": [f"{region[:3]}{region.split('-')[-1]}-az{i}"
                                                        for i in range(1, 4)],
                    "groupNames": [region] * 3, "id": region, "region": region}
        if token == "aws:index/getArn:getArn":
            parts = str(args.get("arn", "")).split(":", 5)
            if len(parts) == 6:
                return {"arn": args["arn"], "partition": parts[1], "service": parts[2], "region": parts[3],
                        "account": parts[4], "resource": parts[5], "id": args["arn"]}
        return Unknown()


def unknown_result(result_type: Any) -> dict[str, Any]:
    """Wire values for a plain-form invoke whose result is unknown: strings (and lists of strings) carry the
    unknown marker; other fields stay unset (the provider SDK type-checks what it is handed)."""
    values: dict[str, Any] = {}
    for name, typ in (_types.output_type_types(result_type) if result_type else {}).items():
        typ = _types.unwrap_optional_type(typ)
        if typ is str:
            values[name] = UNKNOWN
        elif typing.get_origin(typ) in (list, abc.Sequence) and typing.get_args(typ) \
                and _types.unwrap_optional_type(typing.get_args(typ)[0]) is str:
            values[name] = [UNKNOWN]
    return values


@contextmanager
def traced_invokes() -> Iterator[None]:
    """Tell the monitor each invoke's result type and form, by wrapping the SDK's one invoke entry point."""
    module = sys.modules["pulumi.runtime.invoke"]
    original = module._invoke

    def traced(tok, props, opts, typ, package_ref=None, check_dependencies=False):
        inner = original(tok, props, opts, typ, package_ref=package_ref, check_dependencies=check_dependencies)

        async def run():
            trace = InvokeTrace(typ, bool(check_dependencies))
            CURRENT_INVOKE.set(trace)
            result = await inner
            if trace.unknown and not trace.output_form:
                # The monitor answered with an empty result; the SDK would drop unknown markers, so the typed
                # result carrying them is built here.
                value = rpc.translate_output_properties(unknown_result(typ), lambda prop: prop, typ)
                return InvokeResult(value, is_secret=False)
            return result

        return run()

    module._invoke = traced
    try:
        yield
    finally:
        module._invoke = original

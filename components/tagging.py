"""Tags on every taggable resource, applied in one place.

A stack transformation sees every resource before registration: it adds the stack's tags (environment,
project, owner, extras) and the `solution` tag of the nearest enclosing solution component. Explicit tags on a
resource win. Legacy stack transformations (unlike the newer `transforms`) also run under the mock runtime, so the
offline plan and the policy pack see exactly the tags `pulumi up` would send.
"""
from __future__ import annotations

import inspect
from collections.abc import Mapping
from functools import cache

import pulumi

SOLUTION_ATTRIBUTE = "solution_tag"


@cache
def taggable(resource_class: type) -> bool:
    """pulumi-aws resources take `tags` as a map; components and untaggable resources have no such input."""
    init = getattr(resource_class, "_internal_init", None)
    return init is not None and "tags" in inspect.signature(init).parameters


def _is_aws_native(resource_class: type) -> bool:
    return resource_class.__module__.startswith("pulumi_aws_native.")


def _solution_of(resource: pulumi.Resource | None, parents: dict[int, pulumi.Resource | None]) -> str | None:
    while resource is not None:
        tag = getattr(resource, SOLUTION_ATTRIBUTE, None)
        if tag:
            return tag
        resource = parents.get(id(resource))
    return None


def stack_tags(environment: str, project: str, owner: str, extra: Mapping[str, str]) -> dict[str, str]:
    return {**extra, "environment": environment, "project": project, "owner": owner,
            "managed-by": "pulumi"}


def register_default_tags(tags: Mapping[str, str]) -> None:
    """Register the tagging transformation; call before any resource is created."""
    base = dict(tags)
    # Resources do not expose their parent; the transformation sees every registration, components included.
    parents: dict[int, pulumi.Resource | None] = {}

    def add_tags(args: pulumi.ResourceTransformationArgs) -> pulumi.ResourceTransformationResult | None:
        parents[id(args.resource)] = args.opts.parent if args.opts else None
        if not taggable(type(args.resource)):
            return None
        wanted = dict(base)
        solution = _solution_of(args.opts.parent if args.opts else None, parents)
        if solution:
            wanted["solution"] = solution
        props = dict(args.props)
        if _is_aws_native(type(args.resource)):
            # aws-native takes tags as a list of {key, value}; explicit ones win, as for pulumi-aws maps.
            explicit = {t["key"]: t["value"] for t in props.get("tags") or []}
            props["tags"] = [{"key": k, "value": v} for k, v in sorted({**wanted, **explicit}.items())]
        else:
            props["tags"] = {**wanted, **(props.get("tags") or {})}
        return pulumi.ResourceTransformationResult(props, args.opts)

    pulumi.runtime.register_stack_transformation(add_tags)

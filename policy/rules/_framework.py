"""The one way a rule is written: metadata + a check function, wrapped into a pulumi-policy Policy.

A rule module lives at `rules/aws/<service>/<resource>/<verb>_<what>.py`; its policy name is derived from that
path (`aws-s3-bucket-enable-kms-encryption`), so name, file and test can be found from one another. A rule never
sets its own enforcement level: `RuleMeta.default_level` feeds the pack's initial config, and stack policy
config files override it. Every rule accepts an `exemptions` setting (resource-name globs with a reason).
"""
from __future__ import annotations

import fnmatch
import inspect
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pulumi_policy import (EnforcementLevel, PolicyComplianceFramework, PolicyConfigSchema, PolicyResource,
                           ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, Severity,
                           StackValidationArgs, StackValidationPolicy)

VERBS = ("missing", "disallow", "enable", "disable", "configure", "enforce")


class Pillar(str, Enum):
    SECURITY = "security"
    RELIABILITY = "reliability"
    OPERATIONAL_EXCELLENCE = "operational-excellence"
    PERFORMANCE_EFFICIENCY = "performance-efficiency"
    COST_OPTIMIZATION = "cost-optimization"
    SUSTAINABILITY = "sustainability"


@dataclass(frozen=True)
class RuleMeta:
    id: str
    """Stable identifier (e.g. `S3-001`); never reused, survives renames of the module."""
    pillar: Pillar
    severity: Severity
    description: str
    """What the rule requires, in full sentences."""
    remediation: str
    """How to fix a violation, in full sentences."""
    default_level: EnforcementLevel = EnforcementLevel.ADVISORY
    wa_reference: str = ""
    """Well-Architected best practice id, e.g. `SEC08-BP02`."""
    url: str = ""
    settings: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    """JSON-schema of the rule's tunables (each with a `default`)."""


EXEMPTIONS_SCHEMA = {
    "type": "array", "default": [],
    "items": {"type": "object", "required": ["name", "reason"], "additionalProperties": False,
              "properties": {"name": {"type": "string", "minLength": 1},
                             "reason": {"type": "string", "minLength": 10}}},
}


def policy_name(module_name: str) -> str:
    """`rules.aws.lambda_.function.enable_tracing` -> `aws-lambda-function-enable-tracing`."""
    parts = module_name.split(".")
    parts = parts[parts.index("rules") + 1:] if "rules" in parts else parts
    return "-".join(p.strip("_").replace("_", "-") for p in parts)


def _plain(value: Any) -> Any:
    """Config arrives through a protobuf Struct, so integers come back as floats (`7.0`); restore them."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _exempt(name: str, config: Mapping[str, Any]) -> str | None:
    for exemption in config.get("exemptions", []) or []:
        if fnmatch.fnmatchcase(name, exemption["name"]):
            return exemption["reason"]
    return None


def _common(module_name: str, meta: RuleMeta) -> dict[str, Any]:
    return dict(
        name=policy_name(module_name), description=meta.description, severity=meta.severity,
        config_schema=PolicyConfigSchema(properties={"exemptions": EXEMPTIONS_SCHEMA, **meta.settings}),
        framework=PolicyComplianceFramework(name="AWS Well-Architected Framework", version="2024-11",
                                            reference=meta.wa_reference or None),
        tags=[f"pillar:{meta.pillar.value}", f"id:{meta.id}"], remediation_steps=meta.remediation,
        url=meta.url or None)


ResourceCheck = Callable[..., Iterable[str]]
"""`check(props, config)`, or `check(props, config, resource_type)` for a rule over several types."""


def resource_policy(module_name: str, meta: RuleMeta, resource_types: Iterable[str], check: ResourceCheck,
                    remediate: Callable[[Any, Mapping[str, Any]], dict[str, Any] | None] | None = None
                    ) -> ResourceValidationPolicy:
    """A rule over one resource's inputs: `check(props, config)` yields one message per violation."""
    types = frozenset(resource_types)
    takes_type = len(inspect.signature(check).parameters) == 3

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if args.resource_type not in types:
            return
        config = _plain(args.get_config())
        reason = _exempt(args.name, config)
        if reason:
            args.not_applicable(f"exempt: {reason}")
        messages = check(args.props, config, args.resource_type) if takes_type else check(args.props, config)
        for message in messages:
            report(message)

    def remediate_args(args: ResourceValidationArgs):
        if args.resource_type not in types or _exempt(args.name, args.get_config()):
            return None
        return remediate(args.props, _plain(args.get_config()))

    policy = ResourceValidationPolicy(validate=validate, remediate=remediate_args if remediate else None,
                                      **_common(module_name, meta))
    policy.meta = meta  # type: ignore[attr-defined]
    policy.resource_types = types  # type: ignore[attr-defined]
    return policy


class StackView:
    """The stack's resources with the lookups rules need (v7 splits S3 settings into side resources)."""

    def __init__(self, resources: list[PolicyResource]) -> None:
        self.resources = resources

    def of_type(self, *types: str) -> list[PolicyResource]:
        return [r for r in self.resources if r.resource_type in types]

    def attached(self, target: PolicyResource, resource_type: str, prop: str) -> list[PolicyResource]:
        """Resources of `resource_type` whose `prop` refers to `target` (by dependency or by value)."""
        found = []
        for candidate in self.of_type(resource_type):
            deps = candidate.property_dependencies.get(prop, [])
            if any(d.urn == target.urn for d in deps) or _refers_to(candidate.props.get(prop), target):
                found.append(candidate)
        return found


def _refers_to(value: Any, target: PolicyResource) -> bool:
    if not isinstance(value, str) or not value:
        return False
    identities = {target.props.get(k) for k in ("id", "arn", "bucket", "name")} - {None, ""}
    return value in identities


StackCheck = Callable[[StackView, Mapping[str, Any]], Iterable[tuple[PolicyResource, str]]]


def stack_policy(module_name: str, meta: RuleMeta, check: StackCheck) -> StackValidationPolicy:
    """A rule that needs several resources: `check(view, config)` yields (resource, message) per violation."""

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        config = _plain(args.get_config())
        for resource, message in check(StackView(args.resources), config):
            if not _exempt(resource.name, config):
                report(message, resource.urn)

    policy = StackValidationPolicy(validate=validate, **_common(module_name, meta))
    policy.meta = meta  # type: ignore[attr-defined]
    return policy


def get_path(props: Any, path: str) -> Any:
    """Value at a dotted camelCase path (`tracingConfig.mode`); list indexes as numbers; None if absent."""
    value = props
    for part in path.split("."):
        if value is None:
            return None
        if part.isdigit():
            value = value[int(part)] if isinstance(value, (list, tuple)) and len(value) > int(part) else None
        else:
            value = value.get(part) if hasattr(value, "get") else None
    return value


def value_policy(module_name: str, meta: RuleMeta, resource_type: str, path: str, allowed: Iterable[Any], *,
                 absent_is_violation: bool) -> ResourceValidationPolicy:
    """Declarative "the value at `path` must be one of `allowed`" rule (about two thirds of all checks)."""
    allowed_values = tuple(allowed)

    def check(props: Any, _config: Mapping[str, Any]) -> Iterable[str]:
        value = get_path(props, path)
        if value is None:
            if absent_is_violation:
                yield f"`{path}` is not set; expected one of {list(allowed_values)}."
        elif value not in allowed_values:
            yield f"`{path}` is {value!r}; expected one of {list(allowed_values)}."

    return resource_policy(module_name, meta, [resource_type], check)


def policy_statements(document: Any) -> list[dict[str, Any]]:
    """An IAM policy document (JSON string or dict) -> statements with Action/Resource/Principal as lists."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError:
            return []
    if not isinstance(document, Mapping):
        return []
    statements = document.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    normalised = []
    for statement in statements:
        item = dict(statement)
        for key in ("Action", "NotAction", "Resource", "NotResource"):
            if key in item and isinstance(item[key], str):
                item[key] = [item[key]]
        normalised.append(item)
    return normalised


def principals(statement: Mapping[str, Any]) -> list[str]:
    """Every principal of a statement, flattened (`"*"`, `{"AWS": "*"}`, service names, ARNs)."""
    principal = statement.get("Principal")
    if principal is None:
        return []
    if isinstance(principal, str):
        return [principal]
    flat: list[str] = []
    for value in principal.values():
        flat.extend([value] if isinstance(value, str) else list(value))
    return flat


# Conditions that pin a `"*"` principal to our own account, organisation or resource; with one of them the
# statement is not public (the confused-deputy pattern AWS documents for service-published resources).
RESTRICTING_CONDITION_KEYS = frozenset(k.lower() for k in (
    "aws:SourceAccount", "aws:SourceArn", "aws:SourceOwner", "aws:PrincipalOrgID", "aws:PrincipalAccount",
    "aws:SourceVpce", "aws:SourceVpc", "aws:PrincipalArn", "kms:CallerAccount", "kms:ViaService"))


def condition_keys(statement: Mapping[str, Any]) -> set[str]:
    """Lower-cased condition keys of a statement (`{"StringEquals": {"aws:SourceAccount": ...}}` -> keys)."""
    keys: set[str] = set()
    for block in (statement.get("Condition") or {}).values():
        if isinstance(block, Mapping):
            keys.update(k.lower() for k in block)
    return keys


def public_statements(document: Any) -> list[dict[str, Any]]:
    """Allow statements open to everyone: principal `*` (or AWS `*`) without a restricting condition."""
    found = []
    for statement in policy_statements(document):
        if statement.get("Effect") != "Allow" or "*" not in principals(statement):
            continue
        if not condition_keys(statement) & RESTRICTING_CONDITION_KEYS:
            found.append(statement)
    return found


def check_policy_not_public(props: Any, _config: Mapping[str, Any]) -> Iterable[str]:
    """The shared check of resource policies in `policy` (SNS, SQS, EventBridge buses, KMS keys)."""
    for statement in public_statements(props.get("policy")):
        yield f"statement {statement.get('Sid', '(no Sid)')!r} allows principal '*' unconditionally."

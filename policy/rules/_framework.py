"""The one way a rule is written: metadata + a check function, wrapped into a pulumi-policy Policy.

A rule module lives at `rules/aws/<service>/<resource>/<verb>_<what>.py`; its policy name is derived from that
path (`aws-s3-bucket-enable-kms-encryption`), so name, file and test can be found from one another. A rule never
sets its own enforcement level: `RuleMeta.default_level` feeds the pack's initial config, and stack policy
config files override it. Every rule accepts an `exemptions` setting (resource-name globs with a reason).

Writing a rule (see also docs/policy-catalogue.md, "Writing a rule"):
- one resource's inputs: `resource_policy(__name__, META, [types], check)` with `check(props, config)` yielding
  messages; a plain "value at path in set" check is `value_policy(...)`.
- several resources: `resource_stack_policy(__name__, META, [types], check)` with `check(resource, view, config)`
  run once per resource of those types; `view` (StackView) finds related resources. A value that is not known
  yet (first preview) on one resource is reported as an advisory "during preview" finding and the other
  resources are still checked; `view.identity(resource)` raises it for an ARN/id the engine has not computed.
- policy documents: `rules._iam.parse(document)` and the model's questions (never match action strings).
- prod: `RuleMeta.prod_settings` are floors that hold on resources tagged `environment=prod|production` whatever
  the policy config says; `exemptible_in_prod=False` makes exemptions not apply to such resources.
"""
from __future__ import annotations

import fnmatch
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pulumi_policy import (EnforcementLevel, PolicyComplianceFramework, PolicyConfigSchema, PolicyResource,
                           ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, Severity,
                           StackValidationArgs, StackValidationPolicy)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

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
    prod_settings: Mapping[str, Any] = field(default_factory=dict)
    """Floors for resources tagged as prod: `minimum*` settings take the larger, `maximum*` the smaller value,
    anything else the prod value, whatever the policy config passed."""
    exemptible_in_prod: bool = True
    """False: exemptions in the policy config do not apply to resources tagged as prod."""


PROD_ENVIRONMENTS = frozenset({"prod", "production"})


def environment(props: Any) -> str | None:
    """The stack's environment signal: the `environment` tag components/tagging.py puts on every resource."""
    for key in ("tags", "tagsAll"):
        try:
            tags = props.get(key) if hasattr(props, "get") else None
            value = tags.get("environment") if hasattr(tags, "get") else None
        except UnknownValueError:
            continue
        if isinstance(value, str) and value:
            return value.lower()
    return None


def is_prod(props: Any) -> bool:
    return environment(props) in PROD_ENVIRONMENTS


def settings_for(meta: RuleMeta, config: Mapping[str, Any], props: Any) -> Mapping[str, Any]:
    """The rule's settings for one resource: the policy config, raised to the prod floors on prod resources."""
    if not meta.prod_settings or not is_prod(props):
        return config
    merged = dict(config)
    for key, floor in meta.prod_settings.items():
        current = merged.get(key)
        if current is not None and key.startswith("minimum"):
            merged[key] = max(current, floor)
        elif current is not None and key.startswith("maximum"):
            merged[key] = min(current, floor)
        else:
            merged[key] = floor
    return merged


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


def _exempt(name: str, config: Mapping[str, Any], meta: RuleMeta | None = None, props: Any = None) -> str | None:
    if meta is not None and not meta.exemptible_in_prod and is_prod(props):
        return None
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
"""`check(props, config)`; a check may also take `resource_type` (a rule over several types) and `options` (the
resource's PolicyResourceOptions: protect, parent...) as further parameters, by those names."""


def resource_policy(module_name: str, meta: RuleMeta, resource_types: Iterable[str] | None, check: ResourceCheck,
                    remediate: Callable[[Any, Mapping[str, Any]], dict[str, Any] | None] | None = None
                    ) -> ResourceValidationPolicy:
    """A rule over one resource's inputs: `check(props, config)` yields one message per violation.
    `resource_types=None` applies the rule to every resource type."""
    types = frozenset(resource_types) if resource_types is not None else None
    # Parameters after (props, config): `options` gets the resource options, any other the resource type (the
    # original three-parameter form, whatever its third parameter is called).
    extras = ["options" if name == "options" else "resource_type"
              for name in list(inspect.signature(check).parameters)[2:]]

    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        if types is not None and args.resource_type not in types:
            return
        config = _plain(args.get_config())
        reason = _exempt(args.name, config, meta, args.props)
        if reason:
            args.not_applicable(f"exempt: {reason}")
        config = settings_for(meta, config, args.props)
        extra = {"resource_type": args.resource_type, "options": args.opts}
        messages = check(args.props, config, *(extra[kind] for kind in extras))
        for message in messages:
            report(message)

    def remediate_args(args: ResourceValidationArgs):
        config = _plain(args.get_config())
        if (types is not None and args.resource_type not in types) or _exempt(args.name, config, meta, args.props):
            return None
        return remediate(args.props, settings_for(meta, config, args.props))

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

    def identity(self, resource: PolicyResource, *keys: str) -> str:
        """The resource's ARN (or the first of `keys`) as the engine computed it. Absent or unknown means the
        resource does not exist yet (a first preview): raise UnknownValueError so the framework reports the
        check as not runnable during preview instead of letting a None match another None."""
        for key in keys or ("arn",):
            value = known(resource.props, key)
            if isinstance(value, str) and value:
                return value
        raise UnknownValueError(UNKNOWN_STRING_VALUE, [(keys or ("arn",))[0]])

    def attached(self, target: PolicyResource, resource_type: str, prop: str) -> list[PolicyResource]:
        """Resources of `resource_type` whose `prop` refers to `target` (by dependency or by value)."""
        found = []
        for candidate in self.of_type(resource_type):
            deps = candidate.property_dependencies.get(prop, [])
            if any(d.urn == target.urn for d in deps) or _refers_to(candidate.props.get(prop), target):
                found.append(candidate)
        return found


def known(props: Any, key: str) -> Any:
    """`props.get(key)`, but None for a value not known yet (for lookups where a dependency decides instead)."""
    try:
        return props.get(key) if hasattr(props, "get") else None
    except UnknownValueError:
        return None


def _refers_to(value: Any, target: PolicyResource) -> bool:
    if not isinstance(value, str) or not value:
        return False
    identities = {known(target.props, k) for k in ("id", "arn", "bucket", "name")} - {None, ""}
    return value in identities


StackCheck = Callable[[StackView, Mapping[str, Any]], Iterable[tuple[PolicyResource, str]]]


def stack_policy(module_name: str, meta: RuleMeta, check: StackCheck) -> StackValidationPolicy:
    """A rule over the whole stack: `check(view, config)` yields (resource, message) per violation. Prefer
    `resource_stack_policy`, which checks each resource on its own so one value unknown during preview does not
    stop the check of the others; this form stays for rules that judge the stack as a whole."""

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        config = _plain(args.get_config())
        for resource, message in check(StackView(args.resources), config):
            if not _exempt(resource.name, config, meta, resource.props):
                report(message, resource.urn)

    policy = StackValidationPolicy(validate=validate, **_common(module_name, meta))
    policy.meta = meta  # type: ignore[attr-defined]
    return policy


ResourceStackCheck = Callable[[PolicyResource, StackView, Mapping[str, Any]], Iterable[str]]


def resource_stack_policy(module_name: str, meta: RuleMeta, resource_types: Iterable[str],
                          check: ResourceStackCheck) -> StackValidationPolicy:
    """A rule over each resource of `resource_types` that needs the rest of the stack to decide.

    Each resource is checked on its own: a value not known yet on one resource (a first preview) does not end
    the check for the others. The unknowns are gathered and raised once at the end, which pulumi-policy reports
    as an advisory "can't run policy ... during preview" finding naming them, so such a rule never silently
    passes a resource it could not read.
    """
    types = frozenset(resource_types)

    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        config = _plain(args.get_config())
        view = StackView(args.resources)
        unknown: list[UnknownValueError] = []
        for resource in view.resources:
            if resource.resource_type not in types or _exempt(resource.name, config, meta, resource.props):
                continue
            try:
                for message in check(resource, view, settings_for(meta, config, resource.props)):
                    report(message, resource.urn)
            except UnknownValueError as error:
                error.message = f"{resource.name}: {error.message}"
                unknown.append(error)
        if unknown:
            first = unknown[0]
            first.message = "; ".join(e.message for e in unknown)
            raise first

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


def check_policy_not_public(props: Any, _config: Mapping[str, Any]) -> Iterable[str]:
    """The shared check of resource policies in `policy` (SNS, SQS, EventBridge buses, KMS keys, S3, secrets)."""
    from rules import _iam

    for statement in _iam.parse(props.get("policy")):
        if _iam.is_public(statement):
            yield (f"statement {statement.label} allows everyone {sorted(statement.action_patterns)[:5]} without a "
                   f"condition that pins the caller's account, organisation or source resource.")


# Kept for rules written against the earlier helpers (other branches); new rules use rules._iam directly.
def policy_statements(document: Any) -> list[dict[str, Any]]:
    """Deprecated: the raw statements of a document. Judge them with rules._iam, not by matching strings."""
    from rules import _iam

    return [{"Sid": s.sid, "Effect": s.effect, "Action": list(s.action_patterns), "Resource": list(s.resources),
             **({"Principal": dict(s.principals)} if s.principals else {})} for s in _iam.parse(document)]


def public_statements(document: Any) -> list[dict[str, Any]]:
    """Deprecated: statements open to everyone, as the IAM model judges them (conditions are read)."""
    from rules import _iam

    return [{"Sid": s.sid, "Effect": s.effect} for s in _iam.parse(document) if _iam.is_public(s)]

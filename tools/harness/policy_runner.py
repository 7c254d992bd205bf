"""Run a CrossGuard policy pack against a recording, the way `pulumi preview --policy-pack` would.

The pack's own `__main__.py` is executed with `PolicyPack` swapped for a catcher, so any Python pack works,
not only ours. Its policies are then driven through pulumi-policy's real analyzer servicer (the object the CLI
talks to over gRPC): Configure, Analyze per resource, AnalyzeStack once, Remediate for REMEDIATE policies.
What the engine does before calling the servicer (reconciling the policy config file: the `all` key, shorthand
levels, schema defaults and validation) is imitated in `reconcile_config`.
"""
from __future__ import annotations

import difflib
import json
import runpy
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import jsonschema
import pulumi_policy
from google.protobuf import struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as proto
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

from .recorder import Recording

LEVELS = {level.value: level for level in EnforcementLevel}
_PROTO_LEVELS = {proto.ADVISORY: "advisory", proto.MANDATORY: "mandatory", proto.REMEDIATE: "remediate",
                 proto.DISABLED: "disabled"}
_SEVERITIES = {proto.POLICY_SEVERITY_LOW: "low", proto.POLICY_SEVERITY_MEDIUM: "medium",
               proto.POLICY_SEVERITY_HIGH: "high", proto.POLICY_SEVERITY_CRITICAL: "critical"}


class PolicyConfigError(Exception):
    """The policy config file is malformed; raised before any resource is analysed."""


@dataclass
class LoadedPack:
    name: str
    version: str
    policies: list[pulumi_policy.Policy]
    enforcement_level: EnforcementLevel
    initial_config: dict[str, Any] | None


@dataclass(frozen=True)
class Finding:
    policy: str
    level: str  # advisory | mandatory
    severity: str
    urn: str
    message: str

    @property
    def resource_name(self) -> str:
        return self.urn.rsplit("::", 1)[-1] if self.urn else "(stack)"


@dataclass
class PolicyReport:
    pack: str
    findings: list[Finding] = field(default_factory=list)
    remediations: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # policy, urn, new props
    not_applicable: int = 0

    @property
    def mandatory(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "mandatory"]

    @property
    def advisory(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "advisory"]


def load_pack(pack_dir: Path) -> LoadedPack:
    """Execute the pack's entry point with PolicyPack replaced by a catcher (the real one serves forever)."""
    pack_dir = pack_dir.resolve()
    version = "0.0.1"
    manifest = pack_dir / "PulumiPolicy.yaml"
    if manifest.is_file():
        import yaml

        version = str((yaml.safe_load(manifest.read_text()) or {}).get("version", version))
    caught: dict[str, Any] = {}

    def catcher(name, policies, enforcement_level=None, initial_config=None, **_kwargs):
        caught.update(name=name, policies=list(policies), level=enforcement_level or EnforcementLevel.ADVISORY,
                      initial=initial_config)

    old_path = list(sys.path)
    sys.path.insert(0, str(pack_dir))
    try:
        with mock.patch.object(pulumi_policy, "PolicyPack", catcher), \
                mock.patch("pulumi_policy.policy.PolicyPack", catcher):
            runpy.run_path(str(pack_dir / "__main__.py"), run_name="__main__")
    finally:
        sys.path[:] = old_path
    if not caught:
        raise PolicyConfigError(f"{pack_dir}/__main__.py did not construct a PolicyPack")
    return LoadedPack(caught["name"], version, caught["policies"], caught["level"], caught["initial"])


def _level(where: str, value: Any) -> EnforcementLevel:
    if isinstance(value, EnforcementLevel):
        return value
    if value not in LEVELS:
        raise PolicyConfigError(f"policy config '{where}': enforcement level {value!r} is not one of "
                                f"{sorted(LEVELS)}")
    return LEVELS[value]


def _apply_layer(layer: Mapping[str, Any], by_name: dict[str, Any], levels: dict[str, EnforcementLevel],
                 properties: dict[str, dict[str, Any]], pack_name: str) -> None:
    """One config layer: its `all` level first, then its per-policy entries (the CLI's order)."""
    if "all" in layer:
        value = layer["all"]
        level = _level("all", value.get("enforcementLevel") if isinstance(value, dict) else value)
        levels.update(dict.fromkeys(levels, level))
    for name, value in layer.items():
        if name == "all":
            continue
        if name not in by_name:
            close = difflib.get_close_matches(name, list(by_name), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise PolicyConfigError(f"policy config '{name}': no such policy in pack '{pack_name}'{hint}")
        if isinstance(value, (str, EnforcementLevel)):
            value = {"enforcementLevel": value}
        if not isinstance(value, dict):
            raise PolicyConfigError(f"policy config '{name}': expected an enforcement level or an object, "
                                    f"got {type(value).__name__}")
        if "enforcementLevel" in value:
            levels[name] = _level(f"{name}.enforcementLevel", value["enforcementLevel"])
        properties[name].update({k: v for k, v in value.items() if k != "enforcementLevel"})


def reconcile_config(pack: LoadedPack, config: Mapping[str, Any] | None) -> dict[str, tuple[EnforcementLevel,
                                                                                              dict[str, Any]]]:
    """Policy config file (CLI format) -> per-policy (level, properties), as the engine reconciles it.

    The pack's initial config is applied first and the file on top, each layer `all` first and per-policy
    entries after; then schema defaults fill the gaps and the result is validated against each schema.
    """
    by_name = {p.name: p for p in pack.policies}
    levels = {name: policy.enforcement_level or pack.enforcement_level for name, policy in by_name.items()}
    properties: dict[str, dict[str, Any]] = {name: {} for name in by_name}
    for layer in (pack.initial_config or {}, config or {}):
        _apply_layer(layer, by_name, levels, properties, pack.name)
    result: dict[str, tuple[EnforcementLevel, dict[str, Any]]] = {}
    for name, policy in by_name.items():
        values = properties[name]
        schema = policy.config_schema
        if schema is not None:
            for prop, prop_schema in (schema.properties or {}).items():
                if prop not in values and "default" in prop_schema:
                    values[prop] = prop_schema["default"]
            full_schema = {"type": "object", "properties": schema.properties or {},
                           "required": list(schema.required or []), "additionalProperties": False}
            # The policies' schemas are code, not input: validate the values without re-checking each schema.
            validator = jsonschema.validators.validator_for(full_schema)(full_schema)
            try:
                validator.validate(values)
            except jsonschema.ValidationError as error:
                path = ".".join(str(p) for p in error.absolute_path)
                raise PolicyConfigError(f"policy config '{name}{'.' + path if path else ''}': {error.message}"
                                        ) from None
        elif values:
            raise PolicyConfigError(f"policy config '{name}': the policy takes no settings, got {sorted(values)}")
        result[name] = (levels[name], values)
    return result


def _options(registration) -> proto.AnalyzerResourceOptions:
    return proto.AnalyzerResourceOptions(protect=registration.protect, parent=registration.parent)


def _servicer(pack: LoadedPack, policies: list, configure: proto.ConfigureAnalyzerRequest):
    servicer = _PolicyAnalyzerServicer(pack.name, pack.version, policies, pack.enforcement_level,
                                       initial_config=None)
    servicer.Configure(configure, None)
    return servicer


def _applies_to(policy, resource_type: str) -> bool:
    """Rules built with rules._framework declare their resource types; any other policy sees every resource."""
    types = getattr(policy, "resource_types", None)
    return types is None or resource_type in types


def run_pack(pack: LoadedPack, recording: Recording, config: Mapping[str, Any] | None = None, *,
             reconciled: dict[str, tuple[EnforcementLevel, dict[str, Any]]] | None = None) -> PolicyReport:
    """Analyse a recording; `reconciled` (from reconcile_config) saves reconciling the same config twice."""
    reconciled = reconciled if reconciled is not None else reconcile_config(pack, config)
    configure = proto.ConfigureAnalyzerRequest()
    for name, (level, properties) in reconciled.items():
        entry = configure.policyConfig[name]
        entry.enforcementLevel = getattr(proto, level.value.upper())
        entry.properties.update(properties)
    report = PolicyReport(pack=f"{pack.name}@v{pack.version}")
    custom = [r for r in recording.registrations if r.custom]
    # The servicer deserialises a resource's inputs once per policy; handing it only the policies that apply to
    # the resource's type keeps a large pack's run time proportional to the checks that can fire.
    by_type: dict[str, Any] = {}
    for registration in custom:
        if registration.type not in by_type:
            applicable = [p for p in pack.policies if _applies_to(p, registration.type)]
            by_type[registration.type] = _servicer(pack, applicable, configure) if applicable else None
        servicer = by_type[registration.type]
        if servicer is None:
            continue
        analyze = proto.AnalyzeRequest(type=registration.type, properties=registration.inputs_struct,
                                       urn=registration.urn, name=registration.name, options=_options(registration))
        # The engine remediates first and analyses the remediated inputs, so a fixed value is not a violation.
        for item in servicer.Remediate(analyze, None).remediations:
            if item.HasField("properties"):
                report.remediations.append((item.policyName, registration.urn, _struct_to_dict(item.properties)))
                analyze.properties.CopyFrom(item.properties)
        _collect(report, servicer.Analyze(analyze, None), registration.urn)
    stack_policies = [p for p in pack.policies if isinstance(p, pulumi_policy.StackValidationPolicy)]
    servicer = _servicer(pack, stack_policies or pack.policies, configure)
    stack_request = proto.AnalyzeStackRequest()
    for registration in custom:
        resource = stack_request.resources.add()
        resource.type, resource.urn, resource.name = registration.type, registration.urn, registration.name
        resource.properties.CopyFrom(registration.state_struct)
        resource.options.CopyFrom(_options(registration))
        resource.parent = registration.parent
        resource.dependencies.extend(registration.dependencies)
        for prop, urns in registration.property_dependencies.items():
            resource.propertyDependencies[prop].urns.extend(urns)
    _collect(report, servicer.AnalyzeStack(stack_request, None), "")
    return report


def _struct_to_dict(struct: struct_pb2.Struct) -> dict[str, Any]:
    from google.protobuf import json_format

    return json_format.MessageToDict(struct)


def _collect(report: PolicyReport, response, default_urn: str) -> None:
    report.not_applicable += len(response.not_applicable)
    for diagnostic in response.diagnostics:
        report.findings.append(Finding(
            policy=diagnostic.policyName, level=_PROTO_LEVELS[diagnostic.enforcementLevel],
            severity=_SEVERITIES.get(diagnostic.severity, "unspecified"), urn=diagnostic.urn or default_urn,
            message=diagnostic.message))


def load_policy_config(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        raise PolicyConfigError(f"policy config file {path} does not exist") from None
    except json.JSONDecodeError as error:
        raise PolicyConfigError(f"policy config file {path} is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise PolicyConfigError(f"policy config file {path} must hold a JSON object")
    return data

"""Run a CrossGuard policy pack against a recording, the way `pulumi preview --policy-pack` would.

The pack's own `__main__.py` is executed with `PolicyPack` swapped for a catcher, so any Python pack works, not
only ours, in the environment the CLI gives an analyzer process (PULUMI_CONFIG, PULUMI_PROJECT, PULUMI_STACK,
PULUMI_DRY_RUN: `constructEnv` in the CLI's analyzer plugin). Its policies are driven through pulumi-policy's real
analyzer servicer (the object the CLI talks to over gRPC): Configure; Remediate then Analyze for every registered
resource, components and the root stack included (the engine's step generator analyses every registration);
AnalyzeStack once over every resource of the stack, reads included. Config reconciliation: `policy_config.py`.
"""
from __future__ import annotations

import contextvars
import runpy
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import pulumi_policy
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2 as proto
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

from .analyzer_environment import PackEnvironment, memoised_servicer, pack_environment  # noqa: F401 (API)
from .policy_config import LEVELS, PolicyConfigError, load_policy_config, reconcile_config  # noqa: F401 (API)
from .recording import Recording, Registration
from .runtime import crash_site, one_line

_PROTO_LEVELS = {proto.ADVISORY: "advisory", proto.MANDATORY: "mandatory", proto.REMEDIATE: "remediate",
                 proto.DISABLED: "disabled"}
_SEVERITIES = {proto.POLICY_SEVERITY_LOW: "low", proto.POLICY_SEVERITY_MEDIUM: "medium",
               proto.POLICY_SEVERITY_HIGH: "high", proto.POLICY_SEVERITY_CRITICAL: "critical"}
_PREVIEW_MARKER = "during preview: "


class PolicyCrash(Exception):
    """A policy raised while analysing; the message names the policy, the resource and the file:line."""


@dataclass
class LoadedPack:
    name: str
    version: str
    policies: list[pulumi_policy.Policy]
    enforcement_level: EnforcementLevel
    initial_config: dict[str, Any] | None
    directory: Path | None = None


@dataclass(frozen=True)
class Finding:
    policy: str
    level: str  # advisory | mandatory
    severity: str  # low | medium | high | critical | "" when the pack gives none
    urn: str
    message: str  # the diagnostic message: the policy's description, a newline, what the policy reported
    resource_type: str = ""
    description: str = ""
    pack: str = ""
    not_checked: bool = False  # "can't run policy ... during preview": a value it needs is unknown

    @property
    def resource_name(self) -> str:
        return self.urn.rsplit("::", 1)[-1] if self.urn else "(stack)"

    @property
    def detail(self) -> str:
        """What the policy reported, without its description (the message's first line)."""
        if self.description and self.message.startswith(self.description):
            return self.message[len(self.description):].lstrip("\n")
        return self.message


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
        return [f for f in self.findings if f.level == "advisory" and not f.not_checked]

    @property
    def not_checked(self) -> list[Finding]:
        return [f for f in self.findings if f.not_checked]


def load_pack(pack_dir: Path, environment: PackEnvironment | None = None) -> LoadedPack:
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

    if not (pack_dir / "__main__.py").is_file():
        raise PolicyConfigError(f"{pack_dir} is not a Python policy pack: it has no __main__.py")
    old_path = list(sys.path)
    sys.path.insert(0, str(pack_dir))
    try:
        with pack_environment(environment), mock.patch.object(pulumi_policy, "PolicyPack", catcher), \
                mock.patch("pulumi_policy.policy.PolicyPack", catcher):
            contextvars.copy_context().run(runpy.run_path, str(pack_dir / "__main__.py"), run_name="__main__")
    except Exception as error:  # noqa: BLE001 a pack that fails to load is reported where it failed
        raise PolicyCrash(f"policy pack {pack_dir.name} failed to load: {one_line(error)} "
                          f"(at {crash_site(error, [pack_dir])})") from error
    finally:
        sys.path[:] = old_path
    if not caught:
        raise PolicyConfigError(f"{pack_dir}/__main__.py did not construct a PolicyPack")
    return LoadedPack(caught["name"], version, caught["policies"], caught["level"], caught["initial"], pack_dir)


def _options(registration: Registration) -> proto.AnalyzerResourceOptions:
    opts = registration.options or {}
    dbr = opts.get("deleteBeforeReplace")
    timeouts = opts.get("customTimeouts") or {}
    return proto.AnalyzerResourceOptions(
        protect=registration.protect, parent=registration.parent, ignoreChanges=opts.get("ignoreChanges", []),
        deleteBeforeReplace=bool(dbr), deleteBeforeReplaceDefined=dbr is not None,
        additionalSecretOutputs=opts.get("additionalSecretOutputs", []), aliases=opts.get("aliases", []),
        customTimeouts=proto.AnalyzerResourceOptions.CustomTimeouts(
            create=timeouts.get("create", 0.0), update=timeouts.get("update", 0.0),
            delete=timeouts.get("delete", 0.0)))


def _provider(registration: Registration, providers: dict[str, Registration | proto.AnalyzerProviderResource]
              ) -> proto.AnalyzerProviderResource | None:
    """The provider the engine hands analyzers with the resource (built once per provider: with default providers
    every resource has one)."""
    urn = registration.provider.rsplit("::", 1)[0] if registration.provider else ""
    provider = providers.get(urn) if urn else None
    if provider is None or isinstance(provider, proto.AnalyzerProviderResource):
        return provider
    providers[urn] = message = proto.AnalyzerProviderResource(type=provider.type, urn=provider.urn,
                                                              name=provider.name, properties=provider.inputs_struct)
    return message


def _applies_to(policy, resource_type: str) -> bool:
    """Rules built with rules._framework declare their resource types; any other policy sees every resource."""
    types = getattr(policy, "resource_types", None)
    return types is None or resource_type in types


def _crash(error: Exception, pack: LoadedPack, subject: str) -> PolicyCrash:
    policy_name = "?"
    frame = error.__traceback__
    while frame is not None:  # the servicer's loop variable names the policy that was running
        candidate = frame.tb_frame.f_locals.get("policy")
        if isinstance(candidate, pulumi_policy.Policy):
            policy_name = candidate.name
        frame = frame.tb_next
    roots = [pack.directory] if pack.directory else []
    return PolicyCrash(f"policy '{policy_name}' of pack '{pack.name}' crashed on {subject}: {one_line(error)} "
                       f"(at {crash_site(error, roots)})")


def run_pack(pack: LoadedPack, recording: Recording, config: Mapping[str, Any] | None = None, *,
             reconciled: dict[str, tuple[EnforcementLevel, dict[str, Any]]] | None = None,
             environment: PackEnvironment | None = None) -> PolicyReport:
    """Analyse a recording; `reconciled` (from reconcile_config) saves reconciling the same config twice."""
    reconciled = reconciled if reconciled is not None else reconcile_config(pack, config)
    environment = environment or PackEnvironment(recording.project, recording.stack, {},
                                                 recording.mode == "preview")
    with pack_environment(environment), memoised_servicer(pulumi_policy.policy):
        return contextvars.copy_context().run(_analyse, pack, recording, reconciled)


def _analyse(pack: LoadedPack, recording: Recording,
             reconciled: dict[str, tuple[EnforcementLevel, dict[str, Any]]]) -> PolicyReport:
    configure = proto.ConfigureAnalyzerRequest()
    for name, (level, properties) in reconciled.items():
        entry = configure.policyConfig[name]
        entry.enforcementLevel = getattr(proto, level.value.upper())
        entry.properties.update(properties)
    report = PolicyReport(pack=f"{pack.name}@v{pack.version}")
    everything = ([recording.stack_registration] if recording.stack_registration else []) + recording.registrations
    providers = {r.urn: r for r in everything if r.type.startswith("pulumi:providers:")}
    # The servicer deserialises a resource's inputs once per policy; handing it only the policies that apply to
    # the resource's type keeps a large pack's run time proportional to the checks that can fire.
    by_type: dict[str, Any] = {}
    by_policies: dict[tuple[int, ...], Any] = {}  # types that the same policies apply to share one servicer
    for registration in everything:
        if registration.op != "create":
            continue  # reads are not analysed one by one; they are in the stack analysis below
        if registration.type not in by_type:
            applicable = [p for p in pack.policies if _applies_to(p, registration.type)]
            key = tuple(id(policy) for policy in applicable)
            if key not in by_policies:
                servicer = _servicer(pack, applicable, configure) if applicable else None
                by_policies[key] = servicer, servicer is not None and _remediates(servicer, applicable)
            by_type[registration.type] = by_policies[key]
        servicer, remediates = by_type[registration.type]
        if servicer is None:
            continue
        provider = _provider(registration, providers)

        def request(properties: struct_pb2.Struct) -> proto.AnalyzeRequest:
            # A new message per set of properties: the servicer's conversions are memoised per message.
            built = proto.AnalyzeRequest(type=registration.type, properties=properties, urn=registration.urn,
                                         name=registration.name, options=_options(registration))
            if provider is not None:
                built.provider.CopyFrom(provider)
            return built

        analyze = request(registration.inputs_struct)
        try:
            # The engine remediates first and analyses the remediated inputs, so a fixed value is not a violation.
            # (Remediate answers nothing but "not applicable" when no policy here is set to remediate.)
            for item in servicer.Remediate(analyze, None).remediations if remediates else ():
                if item.HasField("properties"):
                    report.remediations.append((item.policyName, registration.urn,
                                                json_format.MessageToDict(item.properties)))
                    analyze = request(item.properties)
            _collect(report, servicer.Analyze(analyze, None), registration.urn, registration.type)
        except Exception as error:  # noqa: BLE001 a policy's own bug: reported as a crash, not a violation
            raise _crash(error, pack, f"{registration.type} '{registration.name}'") from error
    stack_policies = [p for p in pack.policies if isinstance(p, pulumi_policy.StackValidationPolicy)]
    if not stack_policies:
        return report
    servicer = _servicer(pack, stack_policies, configure)
    stack_request = proto.AnalyzeStackRequest()
    for registration in everything:
        resource = stack_request.resources.add()
        resource.type, resource.urn, resource.name = registration.type, registration.urn, registration.name
        resource.properties.CopyFrom(registration.state_struct)
        resource.options.CopyFrom(_options(registration))
        resource.parent = registration.parent
        resource.dependencies.extend(registration.dependencies)
        for prop, urns in registration.property_dependencies.items():
            resource.propertyDependencies[prop].urns.extend(urns)
        provider = _provider(registration, providers)
        if provider is not None:
            resource.provider.CopyFrom(provider)
    try:
        response = servicer.AnalyzeStack(stack_request, None)
    except Exception as error:  # noqa: BLE001
        raise _crash(error, pack, "the stack") from error
    stack_urn = recording.stack_registration.urn if recording.stack_registration else ""
    types = {r.urn: r.type for r in everything}
    for diagnostic in response.diagnostics:
        # As the engine does: a URN that is not in the stack is attributed to the root stack.
        urn = diagnostic.urn if diagnostic.urn in types else stack_urn
        report.findings.append(_finding(diagnostic, urn, types.get(urn, "pulumi:pulumi:Stack")))
    report.not_applicable += len(response.not_applicable)
    return report


def _remediates(servicer: Any, policies: list) -> bool:
    """Whether the servicer's Remediate would run a policy: a resource policy whose level, as the servicer
    resolves it (config, then the policy's own, then the pack's), is `remediate`."""
    return any(isinstance(policy, pulumi_policy.ResourceValidationPolicy)
               and servicer._get_enforcement_level(policy) == EnforcementLevel.REMEDIATE for policy in policies)


def _servicer(pack: LoadedPack, policies: list, configure: proto.ConfigureAnalyzerRequest):
    servicer = _PolicyAnalyzerServicer(pack.name, pack.version, policies, pack.enforcement_level,
                                       initial_config=None)
    servicer.Configure(configure, None)
    return servicer


def _finding(diagnostic: Any, urn: str, resource_type: str) -> Finding:
    preview = _PREVIEW_MARKER in diagnostic.message and diagnostic.message.startswith("can't run policy")
    return Finding(policy=diagnostic.policyName, level=_PROTO_LEVELS[diagnostic.enforcementLevel],
                   severity=_SEVERITIES.get(diagnostic.severity, ""), urn=urn, message=diagnostic.message,
                   resource_type=resource_type, description=diagnostic.description,
                   pack=f"{diagnostic.policyPackName}@v{diagnostic.policyPackVersion}", not_checked=preview)


def _collect(report: PolicyReport, response, urn: str, resource_type: str) -> None:
    # The engine attributes every Analyze diagnostic to the resource analysed, whatever URN it carries.
    report.not_applicable += len(response.not_applicable)
    for diagnostic in response.diagnostics:
        report.findings.append(_finding(diagnostic, urn, resource_type))


def struct_to_dict(struct: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(struct)

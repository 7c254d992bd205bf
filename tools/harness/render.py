"""Human-readable views of a recording: a preview-like tree, the policy report, Mermaid and DOT graphs."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any

from .policy_runner import PolicyReport
from .default_providers import is_default_provider
from .recorder import Recording


def _short_type(token: str) -> str:
    return token.split(":")[-1] if token.startswith("aws:") else token


def tree(recording: Recording) -> str:
    """Component -> children, with counts per type, as `pulumi preview` groups them."""
    verb = "Previewing" if recording.mode == "preview" else "Planning an update (plausible outputs)"
    lines = [f"{verb} (offline) {recording.project}/{recording.stack}:",
             f"  + pulumi:pulumi:Stack {recording.project}-{recording.stack}"]

    def walk(parent: str, depth: int) -> None:
        children = recording.children(parent)
        components = [c for c in children if not c.custom]
        for component in components:
            below = recording.descendants(component.urn)
            counts = Counter(_short_type(r.type) for r in below if r.custom)
            summary = ", ".join(f"{n} {t}" for t, n in sorted(counts.items()))
            lines.append(f"{'    ' * depth}  + {component.type} {component.name}"
                         f"  ({sum(counts.values())} resources: {summary})")
            walk(component.urn, depth + 1)
        # The CLI's display leaves the engine's default providers out (internal steps); analyzers still see them.
        for leaf in (c for c in children if c.custom and not is_default_provider(c.urn, c.type)):
            protect = "  [protect]" if leaf.protect else ""
            sign = "=" if leaf.op == "read" else "+"
            lines.append(f"{'    ' * depth}  {sign} {leaf.type} {leaf.name}{protect}")

    walk("", 1)
    defaults = [r for r in recording.registrations if is_default_provider(r.urn, r.type)]
    custom = [r for r in recording.registrations if r.custom and r.op == "create" and r not in defaults]
    reads = [r for r in recording.registrations if r.op == "read"]
    components = len(recording.registrations) - len(custom) - len(reads) - len(defaults)
    lines.append("")
    hidden = ", ".join(f"{r.type} {r.name}" for r in defaults)
    lines.append(f"Resources: + {len(custom)} to create ({components} components{f', {len(reads)} read' if reads else ''}"
                 f"{f'; default providers, not shown: {hidden}' if defaults else ''})")
    if recording.unknown_invokes:
        lines.append(f"Invokes not computable offline (their results are unknown): "
                     f"{', '.join(recording.unknown_invokes)}")
    return "\n".join(lines)


def policy_report(report: PolicyReport, pack_dir: str = "") -> str:
    """The policy section as `pulumi preview` prints it: per finding `[level]  policy  (type: name)`, then the
    policy's description and what it reported, indented; severity shown when the pack gives one. Findings of
    policies that could not run because a value is unknown until deployment are listed apart."""
    ok = not report.mandatory
    source = f" (local: {pack_dir})" if pack_dir else ""
    lines = ["Policies:", f"    {'✅' if ok else '❌'} {report.pack}{source}"]

    def entry(finding) -> list[str]:
        severity = f" [{finding.severity}]" if finding.severity else ""
        head = (f"        - [{finding.level}]{severity}  {finding.policy}  "
                f"({finding.resource_type or 'pulumi:pulumi:Stack'}: {finding.resource_name})")
        body = [f"          {line}" for line in finding.message.rstrip("\n").splitlines()]
        return [head, *body]

    for finding in sorted(report.mandatory + report.advisory,
                          key=lambda f: (f.level != "mandatory", f.policy, f.urn)):
        lines.extend(entry(finding))
    if report.not_checked:
        lines.append(f"    not checked: {len(report.not_checked)} policy run(s) need values unknown until deployment "
                     f"(advisory, as in `pulumi preview`; `--mode update` checks them with plausible values):")
        for finding in sorted(report.not_checked, key=lambda f: (f.policy, f.urn)):
            reason = finding.message.split("during preview: ", 1)[-1]
            lines.append(f"        - {finding.policy}  ({finding.resource_type}: {finding.resource_name}): {reason}")
    for policy, urn, props in report.remediations:
        lines.append(f"    remediated by {policy}: {urn.rsplit('::', 1)[-1]} -> {json.dumps(props)[:120]}")
    lines.append(f"    summary: {len(report.mandatory)} mandatory, {len(report.advisory)} advisory, "
                 f"{len(report.not_checked)} not checked (unknown until deployment), "
                 f"{len(report.remediations)} remediations")
    return "\n".join(lines)


def _node_id(urn: str) -> str:
    return "n" + str(abs(hash(urn)) % 10**12)


def mermaid(recording: Recording) -> str:
    """Parent edges solid, dependency edges dotted (the two edge kinds `pulumi stack graph` draws)."""
    ids = {r.urn: f"r{i}" for i, r in enumerate(recording.registrations)}
    lines = ["flowchart LR"]
    for r in recording.registrations:
        shape = ('["', '"]') if r.custom else ('[["', '"]]')
        lines.append(f"  {ids[r.urn]}{shape[0]}{r.name}<br/><small>{_short_type(r.type)}</small>{shape[1]}")
    for r in recording.registrations:
        if r.parent in ids:
            lines.append(f"  {ids[r.parent]} --> {ids[r.urn]}")
        for dep in r.dependencies:
            if dep in ids and dep != r.parent:
                lines.append(f"  {ids[r.urn]} -.-> {ids[dep]}")
    return "\n".join(lines) + "\n"


def dot(recording: Recording) -> str:
    """DOT in the style of `pulumi stack graph` (parent edges #AA6639, dependency edges #246C60)."""
    ids = {r.urn: f"Resource{i}" for i, r in enumerate(recording.registrations)}
    lines = ["strict digraph {"]
    for r in recording.registrations:
        lines.append(f'    {ids[r.urn]} [label="{r.urn}"];')
    for r in recording.registrations:
        for dep in r.dependencies:
            if dep in ids:
                lines.append(f"    {ids[r.urn]} -> {ids[dep]} [color = \"#246C60\"];")
        if r.parent in ids:
            lines.append(f"    {ids[r.urn]} -> {ids[r.parent]} [color = \"#AA6639\"];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_json(recording: Recording) -> list[dict[str, Any]]:
    """The recording as plain JSON (archives and assets summarised), for review and for other tools."""

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, (str, int, float, bool)) or value is None:
            return value
        return f"<{type(value).__name__}>"

    return [{"urn": r.urn, "type": r.type, "name": r.name, "op": r.op, "parent": r.parent, "protect": r.protect,
             "dependencies": r.dependencies, "propertyDependencies": r.property_dependencies,
             "provider": r.provider, "inputs": plain(r.inputs), "source": r.source} for r in recording.registrations]

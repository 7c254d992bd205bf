"""Human-readable views of a recording: a preview-like tree, the policy report, Mermaid and DOT graphs."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any

from .policy_runner import PolicyReport
from .recorder import Recording


def _short_type(token: str) -> str:
    return token.split(":")[-1] if token.startswith("aws:") else token


def tree(recording: Recording) -> str:
    """Component -> children, with counts per type, as `pulumi preview` groups them."""
    lines = [f"Previewing (offline) {recording.project}/{recording.stack}:",
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
        for leaf in (c for c in children if c.custom):
            protect = "  [protect]" if leaf.protect else ""
            lines.append(f"{'    ' * depth}  + {leaf.type} {leaf.name}{protect}")

    walk("", 1)
    custom = [r for r in recording.registrations if r.custom]
    lines.append("")
    lines.append(f"Resources: + {len(custom)} to create ({len(recording.registrations) - len(custom)} components)")
    return "\n".join(lines)


def policy_report(report: PolicyReport) -> str:
    lines = [f"Policies: {report.pack}"]
    if not report.findings:
        lines.append("    no violations")
    for level in ("mandatory", "advisory"):
        findings = [f for f in report.findings if f.level == level]
        if not findings:
            continue
        lines.append(f"  {level} ({len(findings)}):")
        for finding in sorted(findings, key=lambda f: (f.policy, f.urn)):
            detail = finding.message.split("\n", 1)[-1]
            lines.append(f"    [{finding.severity}] {finding.policy}  {finding.resource_name}: {detail}")
    for policy, urn, props in report.remediations:
        lines.append(f"  remediated by {policy}: {urn.rsplit('::', 1)[-1]} -> {json.dumps(props)[:120]}")
    lines.append(f"  summary: {len(report.mandatory)} mandatory, {len(report.advisory)} advisory, "
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

    return [{"urn": r.urn, "type": r.type, "name": r.name, "parent": r.parent, "protect": r.protect,
             "dependencies": r.dependencies, "propertyDependencies": r.property_dependencies,
             "inputs": plain(r.inputs)} for r in recording.registrations]

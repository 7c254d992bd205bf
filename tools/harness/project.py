"""Read a Pulumi project and one stack's config the way the CLI does, without the CLI.

The CLI merges the project's config defaults (Pulumi.yaml `config:`) under the stack file's values (in
`stackConfigDir` when the project sets one), namespaces bare keys with the project name, checks keys the project
declares with a type, and hands the program strings (JSON for lists and objects).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Mapping
from typing import Any

import yaml

# libyaml's parser when PyYAML was built with it (the wheels are): the same documents, about 10x faster than the
# pure-Python one on a generated Pulumi.yaml of a few hundred lines.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ProjectError(Exception):
    """The directory is not a usable Pulumi Python program, or the stack file is missing or malformed."""


@dataclass(frozen=True)
class Project:
    directory: Path
    name: str
    runtime: str
    main: str
    config_schema: dict[str, Any]
    stack_dir: Path


def load_project(directory: Path) -> Project:
    directory = directory.resolve()
    candidates = [directory / "Pulumi.yaml", directory / "Pulumi.yml"]
    project_file = next((c for c in candidates if c.is_file()), None)
    if project_file is None:
        raise ProjectError(f"{directory} is not a Pulumi program: it has no Pulumi.yaml")
    try:
        data = yaml.load(project_file.read_text(), Loader=_LOADER) or {}
    except yaml.YAMLError as error:
        raise ProjectError(f"{project_file} is not valid YAML: {' '.join(str(error).split())}") from None
    runtime = data.get("runtime")
    runtime_name = runtime.get("name") if isinstance(runtime, dict) else runtime
    if runtime_name != "python":
        raise ProjectError(f"{project_file} declares runtime {runtime_name!r}; only Python programs can be "
                           f"planned offline")
    if not data.get("name"):
        raise ProjectError(f"{project_file} has no project name")
    main = data.get("main") or "__main__.py"
    entry = directory / main
    if not (entry.is_file() or (entry / "__main__.py").is_file()):
        raise ProjectError(f"{directory} has no {main} to run")
    return Project(directory, str(data["name"]), "python", main, dict(data.get("config") or {}),
                   directory / str(data.get("stackConfigDir") or "."))


def _wire_value(value: Any) -> str:
    """What the CLI passes a program: strings as-is, everything else as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


@dataclass(frozen=True)
class StackConfig(Mapping[str, str]):
    values: dict[str, str]
    secret_keys: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # what the plan could not reproduce (encrypted values), said once to the user
    file: Path | None = None

    # A Mapping of the values, for callers that treat the config as the values dict.
    def __getitem__(self, key: str) -> str:
        return self.values[key]

    def __iter__(self):
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


_TYPES = {"string": str, "integer": int, "boolean": bool, "array": list, "object": dict}


def _check_declared(project: Project, stack: str, config: dict[str, Any]) -> None:
    """Project-declared keys (`config: {key: {type: ...}}` without a default) must be set, with that type; the
    CLI says so before running the program (`ValidateStackConfigAndApplyProjectConfig`)."""
    missing = []
    for key, entry in project.config_schema.items():
        if not isinstance(entry, dict) or "type" not in entry:
            continue
        full = key if ":" in key else f"{project.name}:{key}"
        if full not in config:
            missing.append(key)
            continue
        expected, value = _TYPES.get(entry["type"]), config[full]
        if isinstance(value, dict) and "secure" in value:
            continue
        if expected and (not isinstance(value, expected) or (expected is int and isinstance(value, bool))):
            raise ProjectError(f"Stack '{stack}' with configuration key '{key}' must be of type '{entry['type']}'")
    if missing:
        names = [f"'{m}'" for m in missing]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        raise ProjectError(f"Stack '{stack}' is missing configuration value{'s' if len(names) > 1 else ''} {listed}")


def stack_config(project: Project, stack: str) -> StackConfig:
    """The stack's full config: project defaults overlaid by Pulumi.<stack>.yaml, keys namespaced.

    A stack without a file runs with the project defaults only, as `pulumi preview` does on a new stack; a key
    the program requires then fails in the program, with the SDK's own message."""
    config: dict[str, Any] = {}
    for key, entry in project.config_schema.items():
        full = key if ":" in key else f"{project.name}:{key}"
        if isinstance(entry, dict) and ("default" in entry or "value" in entry):
            config[full] = entry.get("value", entry.get("default"))
        elif not isinstance(entry, dict):
            config[full] = entry
    stack_file = next((f for f in (project.stack_dir / f"Pulumi.{stack}.yaml", project.stack_dir / f"Pulumi.{stack}.yml")
                       if f.is_file()), None)
    data: dict[str, Any] = {}
    if stack_file is not None:
        try:
            data = yaml.load(stack_file.read_text(), Loader=_LOADER) or {}
        except yaml.YAMLError as error:
            raise ProjectError(f"{stack_file} is not valid YAML: {' '.join(str(error).split())}") from None
        if not isinstance(data, dict):
            raise ProjectError(f"{stack_file} must hold a YAML mapping")
    secret_keys, notes = [], []
    for key, value in (data.get("config") or {}).items():
        full = key if ":" in key else f"{project.name}:{key}"
        config[full] = value
    _check_declared(project, stack, config)
    for full, value in list(config.items()):
        if isinstance(value, dict) and "secure" in value:
            # Encrypted with the stack's secrets provider, which the plan cannot reach: the program sees a
            # placeholder, marked secret, and the plan says so.
            config[full] = f"<secret {full}>"
            secret_keys.append(full)
            notes.append(f"'{full}' is encrypted in {stack_file.name if stack_file else 'the stack file'}; "
                         f"the program sees a placeholder")
    return StackConfig({key: _wire_value(value) for key, value in config.items()}, tuple(secret_keys),
                       tuple(notes), stack_file)

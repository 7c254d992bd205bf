"""Read a Pulumi project and one stack's config the way the CLI does, without the CLI.

The CLI merges the project's config defaults (Pulumi.yaml `config:`) under the stack file's values, namespaces
bare keys with the project name, and hands the program strings (JSON for lists and objects).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


class ProjectError(Exception):
    """The directory is not a usable Pulumi Python program, or the stack file is missing or malformed."""


@dataclass(frozen=True)
class Project:
    directory: Path
    name: str
    runtime: str
    main: str
    config_schema: dict[str, Any]


def load_project(directory: Path) -> Project:
    directory = directory.resolve()
    candidates = [directory / "Pulumi.yaml", directory / "Pulumi.yml"]
    project_file = next((c for c in candidates if c.is_file()), None)
    if project_file is None:
        raise ProjectError(f"{directory} is not a Pulumi program: it has no Pulumi.yaml")
    try:
        data = yaml.safe_load(project_file.read_text()) or {}
    except yaml.YAMLError as error:
        raise ProjectError(f"{project_file} is not valid YAML: {error}") from None
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
    return Project(directory, str(data["name"]), "python", main, dict(data.get("config") or {}))


def _wire_value(value: Any) -> str:
    """What the CLI passes a program: strings as-is, everything else as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value)


def stack_config(project: Project, stack: str) -> dict[str, str]:
    """The stack's full config: project defaults overlaid by Pulumi.<stack>.yaml, keys namespaced."""
    config: dict[str, Any] = {}
    for key, entry in project.config_schema.items():
        full = key if ":" in key else f"{project.name}:{key}"
        if isinstance(entry, dict) and ("default" in entry or "value" in entry):
            config[full] = entry.get("value", entry.get("default"))
        elif not isinstance(entry, dict):
            config[full] = entry
    stack_file = project.directory / f"Pulumi.{stack}.yaml"
    if not stack_file.is_file():
        available = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in project.directory.glob("Pulumi.*.yaml"))
        raise ProjectError(f"stack '{stack}' has no config file {stack_file.name} in {project.directory}"
                           f" (stacks with a file: {', '.join(available) or 'none'})")
    try:
        data = yaml.safe_load(stack_file.read_text()) or {}
    except yaml.YAMLError as error:
        raise ProjectError(f"{stack_file} is not valid YAML: {error}") from None
    for key, value in (data.get("config") or {}).items():
        full = key if ":" in key else f"{project.name}:{key}"
        if isinstance(value, dict) and "secure" in value:
            raise ProjectError(f"{stack_file.name}: '{full}' is an encrypted secret; the offline plan cannot "
                               f"decrypt it. Give the plan a plain value in a separate stack file.")
        config[full] = value
    return {key: _wire_value(value) for key, value in config.items()}

"""Checks that need the project's other stack files, not only this stack's config (see load_from_pulumi)."""
from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .config import PROJECT, ConfigError, EventsDatabaseSettings, StackConfig, _message


def check_events_database_unique(config: StackConfig, raw: Mapping[str, Any], project: str, stack: str,
                                 project_dir: Path) -> None:
    """Refuse a Glue database name another stack of this project (a `Pulumi.<stack>.yaml` beside this one) uses
    in the same region, unless `aws:allowedAccountIds` pins the two stacks to different accounts."""
    events = config.events_database
    if not events.enabled:
        return
    name = events.database_name(project, stack)
    mine = _accounts(raw.get("aws:allowedAccountIds"))
    defaults = _stack_values(project_dir / "Pulumi.yaml", "config", project)
    for path in sorted(project_dir.glob("Pulumi.*.yaml")):
        other = path.name[len("Pulumi."):-len(".yaml")]
        if other == stack:
            continue
        values = {**defaults, **_stack_values(path, "config", project)}
        if str(values.get(f"{PROJECT}:eventsDatabaseEnabled", False)).lower() != "true":
            continue
        other_name = str(values.get(f"{PROJECT}:eventsDatabaseGlueDatabaseName") or "") or \
            EventsDatabaseSettings().database_name(project, other)
        theirs = _accounts(values.get("aws:allowedAccountIds"))
        if (other_name == name and str(values.get("aws:region", config.env.region)) == config.env.region
                and not (mine and theirs and not mine & theirs)):
            raise ConfigError(_message(
                "eventsDatabaseGlueDatabaseName",
                f"gives Glue database '{name}', which stack '{other}' also uses in {config.env.region}: two stacks "
                "in one account would share one database (and the second `pulumi up` fails creating it)",
                f"unset it for the per-stack default '{EventsDatabaseSettings().database_name(project, stack)}', "
                "choose another name, or pin each stack to its own account with aws:allowedAccountIds"))


def _stack_values(path: Path, section: str, project: str) -> dict[str, Any]:
    """Config values of a Pulumi.yaml or stack file, keys namespaced; unreadable files count as empty."""
    import yaml

    try:
        # libyaml's parser when available (the PyYAML wheels have it): ~10x faster on the generated Pulumi.yaml
        data = yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except (OSError, yaml.YAMLError):
        return {}
    values = {}
    for key, value in (data.get(section) or {}).items():
        if isinstance(value, dict) and "default" in value:  # Pulumi.yaml declares {type, default, ...}
            value = value["default"]
        values[key if ":" in key else f"{project}:{key}"] = value
    return values


def _accounts(value: Any) -> set[str]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = [value]
    return {str(v) for v in value} if isinstance(value, list) else set()


def check_ses_publishers(config: StackConfig, project: str, stack: str) -> None:
    """Refuse naming, in preferenceCenterSesConfigurationSets, the set this stack's events database creates: it
    publishes SUBSCRIPTION events to the default bus already, so a second destination would deliver every
    opt-out twice (the events database's existing sets are refused in StackConfig itself)."""
    own = EventsDatabaseSettings.configuration_set_name(project, stack)
    if (config.preference_center.enabled and config.events_database.enabled
            and own in config.preference_center.ses_configuration_sets):
        raise ConfigError(_message(
            "preferenceCenterSesConfigurationSets", f"names {own}, the configuration set this stack's events "
            "database creates and already publishes to EventBridge (SUBSCRIPTION included); a second destination "
            "would deliver every opt-out twice", f"remove {own} from engagement:preferenceCenterSesConfigurationSets"))

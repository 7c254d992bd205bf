"""components/config_stacks.py: two stacks in one account must not share one Glue database (defect 7)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from components.config import ConfigError, EventsDatabaseSettings, load_stack_config
from components.config_stacks import check_events_database_unique
from tools.harness.project import load_project, stack_config

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_default_database_name_is_per_stack():
    assert EventsDatabaseSettings().database_name("engagement", "dev") == "engagement_dev_events"
    assert EventsDatabaseSettings().database_name("engagement", "acme-Prod.eu") == "engagement_acme_prod_eu_events"


def test_the_seeds_name_is_still_available_by_config():
    settings = load_stack_config({"engagement:eventsDatabaseGlueDatabaseName": "due_eventdb"}).events_database
    assert settings.database_name("engagement", "dev") == "due_eventdb"


def test_shipped_stacks_get_different_databases():
    names = set()
    for stack in ("dev", "prod"):
        raw = stack_config(load_project(REPO_ROOT), stack)
        config = load_stack_config(raw)
        check_events_database_unique(config, raw, "engagement", stack, REPO_ROOT)
        names.add(config.events_database.database_name("engagement", stack))
    assert names == {"engagement_dev_events", "engagement_prod_events"}


def _project(tmp_path: Path, stacks: dict[str, dict]) -> Path:
    (tmp_path / "Pulumi.yaml").write_text(yaml.safe_dump({
        "name": "engagement", "runtime": "python",
        "config": {"eventsDatabaseEnabled": {"type": "boolean", "default": False}}}))
    for stack, config in stacks.items():
        (tmp_path / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump({"config": config}))
    return tmp_path


def _check(project_dir: Path, stack: str) -> None:
    """What load_from_pulumi does for `stack`: config values as the CLI passes them (strings, JSON for the rest)."""
    values = yaml.safe_load((project_dir / f"Pulumi.{stack}.yaml").read_text())["config"]
    raw = {k: v if isinstance(v, str) else json.dumps(v) for k, v in values.items()}
    check_events_database_unique(load_stack_config(raw), raw, "engagement", stack, project_dir)


SEED_NAME = {"engagement:eventsDatabaseEnabled": True, "engagement:eventsDatabaseGlueDatabaseName": "due_eventdb",
             "aws:region": "eu-west-1"}


def test_two_stacks_with_the_seeds_name_in_one_region_are_refused(tmp_path):
    project = _project(tmp_path, {"staging": SEED_NAME, "prod": SEED_NAME})
    with pytest.raises(ConfigError) as error:
        _check(project, "staging")
    message = str(error.value)
    assert "'engagement:eventsDatabaseGlueDatabaseName'" in message and "stack 'prod'" in message
    assert "engagement_staging_events" in message and "aws:allowedAccountIds" in message


def test_naming_another_stacks_default_is_refused(tmp_path):
    project = _project(tmp_path, {
        "dev": {"engagement:eventsDatabaseEnabled": True, "aws:region": "us-east-1"},
        "sandbox": {"engagement:eventsDatabaseEnabled": True, "aws:region": "us-east-1",
                    "engagement:eventsDatabaseGlueDatabaseName": "engagement_dev_events"}})
    with pytest.raises(ConfigError, match="stack 'dev'"):
        _check(project, "sandbox")


@pytest.mark.parametrize("other", [
    {**SEED_NAME, "aws:region": "us-east-1"},  # another region: Glue names are per region
    {**SEED_NAME, "engagement:eventsDatabaseEnabled": False},  # that stack deploys no database
    {**SEED_NAME, "engagement:eventsDatabaseGlueDatabaseName": "due_eventdb_prod"},
])
def test_no_collision_is_accepted(tmp_path, other):
    _check(_project(tmp_path, {"staging": SEED_NAME, "prod": other}), "staging")


def test_stacks_pinned_to_different_accounts_may_share_the_name(tmp_path):
    project = _project(tmp_path, {"staging": {**SEED_NAME, "aws:allowedAccountIds": ["111111111111"]},
                                  "prod": {**SEED_NAME, "aws:allowedAccountIds": ["222222222222"]}})
    _check(project, "staging")
    project = _project(tmp_path, {"staging": {**SEED_NAME, "aws:allowedAccountIds": ["111111111111"]},
                                  "prod": {**SEED_NAME, "aws:allowedAccountIds": ["111111111111"]}})
    with pytest.raises(ConfigError):
        _check(project, "staging")


def test_the_running_program_sees_the_name_the_stack_uses(monkeypatch, tmp_path):
    # Other solutions read config.events_database.glue_database_name: in the program it is never empty
    import types

    import pulumi
    from pulumi.runtime import config as runtime_config

    from components.config import load_from_pulumi

    monkeypatch.setattr(runtime_config, "get_config_env", lambda: {"engagement:eventsDatabaseEnabled": "true"})
    monkeypatch.setattr(runtime_config, "CONFIG", types.SimpleNamespace(get=dict))
    monkeypatch.setattr(pulumi, "get_project", lambda: "engagement")
    monkeypatch.setattr(pulumi, "get_stack", lambda: "qa")
    monkeypatch.chdir(tmp_path)  # a project directory with no other stack file
    assert load_from_pulumi().events_database.glue_database_name == "engagement_qa_events"


def test_the_program_refuses_before_registering_anything(record):
    # Through the real entry point: dev asking for prod's default database (both stack files enable it)
    with pytest.raises(Exception, match="eventsDatabaseGlueDatabaseName.*stack 'prod'"):
        record("dev", {"engagement:eventsDatabaseGlueDatabaseName": "engagement_prod_events"})


def test_naming_the_events_databases_own_set_as_a_preference_center_publisher_is_refused():
    """Its own set already publishes SUBSCRIPTION events to the bus; a second destination doubles each opt-out."""
    from components.config_stacks import check_ses_publishers

    raw = {"engagement:eventsDatabaseEnabled": "true", "engagement:preferenceCenterEnabled": "true",
           "engagement:preferenceCenterSesConfigurationSets": '["engagement-staging", "marketing-mail"]'}
    with pytest.raises(ConfigError) as error:
        check_ses_publishers(load_stack_config(raw), "engagement", "staging")
    assert "'engagement:preferenceCenterSesConfigurationSets'" in str(error.value)
    assert "engagement-staging" in str(error.value)
    check_ses_publishers(load_stack_config(raw), "engagement", "prod")  # another stack's set is just a set

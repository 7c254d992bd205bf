"""Review stacks: a stack file derived from dev that the program accepts and that can always be destroyed."""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tools.ci import review_stack
from tools.harness.project import load_project, stack_config

ROOT = Path(__file__).resolve().parents[3]


def program_copy(tmp_path: Path) -> Path:
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py"):
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_review_stack_file_is_destroyable_and_accepted_by_the_program(tmp_path, capsys):
    root = program_copy(tmp_path)
    assert review_stack.main(["--pr", "42", "--root", str(root)]) == 0
    assert capsys.readouterr().out.strip() == "pr-42"
    written = yaml.safe_load((root / "Pulumi.pr-42.yaml").read_text())["config"]
    dev = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())["config"]
    assert written["engagement:protectStatefulResources"] is False
    assert written["engagement:eventsDatabaseGlueDatabaseName"] == "due_eventdb_pr42"
    assert written["engagement:preferenceCenterEnabled"] is False
    assert written["aws:region"] == dev["aws:region"] and written["engagement:logLevel"] == dev["engagement:logLevel"]
    # The offline harness reads it the way the CLI would, and the program's config model accepts it.
    from components.config import load_stack_config

    settings = load_stack_config(stack_config(load_project(root), "pr-42"))
    assert settings.events_database.glue_database_name == "due_eventdb_pr42"


def test_encrypted_values_of_the_base_stack_are_refused_with_one_line(tmp_path, capsys):
    root = program_copy(tmp_path)
    (root / "Pulumi.dev.yaml").write_text("config:\n  engagement:alarmEmail:\n    secure: v1:abc\n")
    assert review_stack.main(["--pr", "7", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "encrypted values (engagement:alarmEmail)" in err
    assert not (root / "Pulumi.pr-7.yaml").exists()


def test_a_base_config_the_program_rejects_is_reported_before_any_file_is_written(tmp_path, capsys):
    root = program_copy(tmp_path)
    (root / "Pulumi.dev.yaml").write_text("config:\n  engagement:logRetentionDays: 13\n")
    assert review_stack.main(["--pr", "7", "--root", str(root)]) == 2
    assert "engagement:logRetentionDays" in capsys.readouterr().err
    assert not (root / "Pulumi.pr-7.yaml").exists()


def test_secrets_provider_lines_written_by_stack_init_are_kept(tmp_path):
    root = program_copy(tmp_path)
    (root / "Pulumi.pr-9.yaml").write_text("secretsprovider: awskms://alias/engagement-pulumi?region=us-east-1\n"
                                           "encryptedkey: AQICAHh\n")
    assert review_stack.main(["--pr", "9", "--root", str(root)]) == 0
    written = yaml.safe_load((root / "Pulumi.pr-9.yaml").read_text())
    assert written["secretsprovider"].startswith("awskms://") and written["encryptedkey"] == "AQICAHh"
    assert written["config"]["engagement:preferenceCenterEnabled"] is False

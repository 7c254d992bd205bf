"""The offline plan end to end, as a user runs it: exit codes, messages, graphs, any program."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = REPO_ROOT / "tests" / "fixtures" / "programs"


def plan(*args: str, cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools.plan", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_shipped_stacks_plan_with_no_mandatory_violation(stack, tmp_path):
    result = plan("--stack", stack, "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Previewing (offline) engagement/{stack}" in result.stdout
    assert "engagement:events:EventsDatabase events" in result.stdout
    assert "summary: 0 mandatory" in result.stdout
    graph = (tmp_path / "graph.mmd").read_text()
    assert graph.startswith("flowchart LR") and "-.->" in graph and "-->" in graph
    assert (tmp_path / "graph.dot").read_text().startswith("strict digraph {")
    resources = json.loads((tmp_path / "resources.json").read_text())
    assert any(r["type"] == "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream" for r in resources)


def test_unencrypted_public_bucket_fails_the_gate_with_the_violation_named(tmp_path):
    result = plan("--program", str(PROGRAMS / "public_bucket"), "--stack", "test", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "mandatory" in result.stdout
    assert "aws-s3-bucket-enable-kms-encryption  site: bucket site has no server-side encryption" in result.stdout
    assert "aws-s3-bucket-disallow-public-access  site: bucket site has the public ACL 'public-read'" in result.stdout
    assert "mandatory policy violation(s)" in result.stderr


def test_a_directory_that_is_not_a_pulumi_program_fails_with_one_line():
    result = plan("--program", str(PROGRAMS / "not_pulumi"), "--stack", "dev")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {PROGRAMS / 'not_pulumi'} is not a Pulumi program: it has no Pulumi.yaml"]


def test_a_missing_stack_file_fails_with_one_line_listing_the_stacks():
    result = plan("--stack", "staging")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "stack 'staging' has no config file Pulumi.staging.yaml" in lines[0]
    assert "dev, prod" in lines[0]


def test_a_config_error_prints_the_config_message_not_a_traceback(tmp_path):
    program = tmp_path / "program"
    program.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        (program / name).write_text((REPO_ROOT / name).read_text())
    (program / "components").symlink_to(REPO_ROOT / "components")
    (program / "functions").symlink_to(REPO_ROOT / "functions")
    (program / "Pulumi.broken.yaml").write_text("config:\n  engagement:eventsDatabseEnabled: true\n")
    result = plan("--program", str(program), "--stack", "broken", "--policy-config",
                  str(REPO_ROOT / "policy" / "config" / "dev.json"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == ("error: config key 'engagement:eventsDatabseEnabled' is not a setting of this "
                                     "project. Fix: did you mean 'engagement:eventsDatabaseEnabled'?")


def test_a_malformed_policy_config_fails_before_analysis(tmp_path):
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"aws-s3-bucket-enforce-tls": "mandtory"}))
    result = plan("--stack", "dev", "--policy-config", str(config))
    assert result.returncode == 2
    assert "policy config 'aws-s3-bucket-enforce-tls.enforcementLevel'" in result.stderr
    assert "Previewing" not in result.stdout


def test_preview_mode_with_unknown_outputs_does_not_crash(tmp_path):
    result = plan("--stack", "prod", "--preview", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "summary: 0 mandatory" in result.stdout

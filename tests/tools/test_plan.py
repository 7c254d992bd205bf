"""The offline plan end to end, as a user runs it: exit codes, messages, modes, graphs, any program, any pack."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = REPO_ROOT / "tests" / "fixtures" / "programs"
PACKS = REPO_ROOT / "tests" / "fixtures" / "packs"
pytestmark = pytest.mark.timeout(300)


def plan(*args: str, cwd: Path = REPO_ROOT, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tools.plan", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def program(tmp_path: Path, source: str, stack_file: str | None = None, name: str = "probe") -> Path:
    directory = tmp_path / name
    directory.mkdir()
    (directory / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    (directory / "__main__.py").write_text(source)
    if stack_file is not None:
        (directory / "Pulumi.dev.yaml").write_text(stack_file)
    return directory


@pytest.mark.parametrize("stack", ["dev", "prod"])
@pytest.mark.parametrize("mode", ["preview", "update"])
def test_shipped_stacks_plan_with_no_mandatory_violation(stack, mode, tmp_path):
    result = plan("--stack", stack, "--mode", mode, "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    verb = "Previewing" if mode == "preview" else "Planning an update (plausible outputs)"
    assert f"{verb} (offline) engagement/{stack}" in result.stdout
    assert "engagement:events:EventsDatabase events" in result.stdout
    assert "summary: 0 mandatory" in result.stdout
    graph = (tmp_path / "graph.mmd").read_text()
    assert graph.startswith("flowchart LR") and "-.->" in graph and "-->" in graph
    assert (tmp_path / "graph.dot").read_text().startswith("strict digraph {")
    resources = json.loads((tmp_path / "resources.json").read_text())
    assert any(r["type"] == "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream" for r in resources)


def test_unencrypted_public_bucket_fails_the_gate_as_the_cli_prints_it(tmp_path):
    result = plan("--program", str(PROGRAMS / "public_bucket"), "--stack", "test", "--out", str(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    head = "        - [mandatory] [high]  aws-s3-bucket-enable-kms-encryption  (aws:s3/bucket:Bucket: site)"
    assert head in lines
    # The policy's description, then what it found, indented under the heading (as `pulumi preview` prints).
    description, detail = lines[lines.index(head) + 1: lines.index(head) + 3]
    assert description.startswith("          ") and detail.startswith("          bucket site has no server-side encryption")
    assert "mandatory policy violation(s)" in result.stderr
    report = json.loads((tmp_path / "policy-report.json").read_text())
    kms = next(f for f in report if f["policy"] == "aws-s3-bucket-enable-kms-encryption")
    assert {"resource_type": "aws:s3/bucket:Bucket", "resource_name": "site", "level": "mandatory"}.items() <= kms.items()


def test_a_directory_that_is_not_a_pulumi_program_fails_with_one_line():
    result = plan("--program", str(PROGRAMS / "not_pulumi"), "--stack", "dev")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {PROGRAMS / 'not_pulumi'} is not a Pulumi program: it has no Pulumi.yaml"]


def test_a_stack_without_a_config_file_plans_on_the_project_defaults(tmp_path):
    # Defect 1: `pulumi preview` on a new stack runs without Pulumi.<stack>.yaml; the plan refused to.
    result = plan("--program", str(PROGRAMS / "no_stack_file"), "--stack", "brand-new", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Resources: + 2 to create" in result.stdout


def test_a_missing_required_key_fails_with_the_sdk_message_and_no_traceback(tmp_path):
    result = plan("--program", str(PROGRAMS / "needs_config"), "--stack", "dev", "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: Missing required configuration variable 'needs_config:bucketName'; please set a value using the "
        "command `pulumi config set needs_config:bucketName <value>`")


def test_a_key_the_project_declares_without_default_must_be_set_as_the_cli_checks_it(tmp_path):
    directory = program(tmp_path, "import pulumi_aws as aws\naws.s3.Bucket('b')\n")
    (directory / "Pulumi.yaml").write_text("name: probe\nruntime: python\nconfig:\n  owner:\n    type: string\n"
                                           "  replicas:\n    type: integer\n")
    result = plan("--program", str(directory), "--stack", "dev")
    assert result.returncode == 2
    assert result.stderr.strip() == "error: Stack 'dev' is missing configuration values 'owner' and 'replicas'"


def test_a_config_error_prints_the_config_message_not_a_traceback(tmp_path):
    directory = tmp_path / "program"
    directory.mkdir()
    for name in ("Pulumi.yaml", "__main__.py"):
        (directory / name).write_text((REPO_ROOT / name).read_text())
    (directory / "components").symlink_to(REPO_ROOT / "components")
    (directory / "functions").symlink_to(REPO_ROOT / "functions")
    (directory / "Pulumi.broken.yaml").write_text("config:\n  engagement:eventsDatabseEnabled: true\n")
    result = plan("--program", str(directory), "--stack", "broken", "--policy-config",
                  str(REPO_ROOT / "policy" / "config" / "dev.json"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == ("error: config key 'engagement:eventsDatabseEnabled' is not a setting of this "
                                     "project. Fix: did you mean 'engagement:eventsDatabaseEnabled'?")


def test_a_resource_passed_as_an_input_plans_instead_of_hanging(tmp_path):
    # Defect 2: `RolePolicy(role=role)` hung the plan ("attached to a different loop").
    result = plan("--program", str(PROGRAMS / "resource_inputs"), "--stack", "dev", "--mode", "update",
                  "--out", str(tmp_path), timeout=60)
    assert result.returncode == 0, result.stderr
    recorded = {r["name"]: r for r in json.loads((tmp_path / "resources.json").read_text())}
    # The engine hands analyzers a custom resource reference as the resource's id.
    assert recorded["worker-logs"]["inputs"]["role"] == recorded["worker"]["inputs"]["name"]


def test_the_default_mode_is_a_dry_run_with_unknown_outputs(tmp_path):
    # Defect 4: the default was neither preview nor update (is_dry_run False, unknowns turned into None).
    source = ("import pulumi, pulumi_aws as aws\n"
              "b = aws.s3.Bucket('b')\n"
              "aws.s3.BucketVersioning('v', bucket=b.id, versioning_configuration={'status': 'Enabled'})\n"
              "pulumi.export('dryRun', pulumi.runtime.is_dry_run())\n")
    directory = program(tmp_path, source)
    result = plan("--program", str(directory), "--stack", "dev", "--out", str(tmp_path / "p"))
    assert result.returncode in (0, 1), result.stderr  # 1: the bare bucket breaks mandatory rules of the pack
    versioning = [r for r in json.loads((tmp_path / "p" / "resources.json").read_text()) if r["name"] == "v"][0]
    assert versioning["inputs"]["bucket"] == "<Unknown>"  # a new bucket's id is unknown in a first preview
    result = plan("--program", str(directory), "--stack", "dev", "--mode", "update", "--out", str(tmp_path / "u"))
    versioning = [r for r in json.loads((tmp_path / "u" / "resources.json").read_text()) if r["name"] == "v"][0]
    assert versioning["inputs"]["bucket"].startswith("b-")


def test_a_program_crash_exits_3_naming_file_and_line_with_the_traceback_only_when_verbose(tmp_path):
    # Defect 5: a crash exited 1, the code of a mandatory violation.
    result = plan("--program", str(PROGRAMS / "crashes"), "--stack", "dev", "--out", str(tmp_path))
    assert result.returncode == 3
    assert result.stderr.strip() == "error: the program crashed: KeyError: 'retention' (at __main__.py:5)"
    verbose = plan("--program", str(PROGRAMS / "crashes"), "--stack", "dev", "--verbose", "--out", str(tmp_path))
    assert verbose.returncode == 3 and "Traceback (most recent call last)" in verbose.stderr


def test_a_policy_crash_exits_3_naming_the_policy_and_its_line(tmp_path):
    result = plan("--program", str(PROGRAMS / "public_bucket"), "--stack", "test", "--policy-pack",
                  str(PACKS / "buggy"), "--out", str(tmp_path))
    assert result.returncode == 3
    assert result.stderr.strip().startswith("error: policy 'versioning' of pack 'buggy' crashed on ")
    assert result.stderr.strip().endswith("KeyError: 'versioning' (at __main__.py:6)")


def test_a_program_that_never_finishes_is_stopped_saying_what_it_waited_on(tmp_path):
    result = plan("--program", str(PROGRAMS / "hangs"), "--stack", "dev", "--timeout", "3", "--out", str(tmp_path),
                  timeout=60)
    assert result.returncode == 3
    assert result.stderr.strip() == ("error: the program did not finish within 3 s; still waiting on: "
                                     "aws:s3/bucket:Bucket 'stuck' (its inputs never resolved)")


def test_a_foreign_pack_gets_the_stack_config_and_its_findings_keep_type_and_description(tmp_path):
    # Defects 6 and 8: the pack read config at load time and failed; findings showed `[unspecified]` and lost
    # the resource type and the policy description.
    directory = program(tmp_path, "import pulumi_aws as aws\naws.s3.Bucket('site', tags={'team': 'web'})\n",
                        "config:\n  aws:region: us-east-1\n")
    result = plan("--program", str(directory), "--stack", "dev", "--policy-pack", str(PACKS / "foreign"),
                  "--out", str(tmp_path / "out"))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert "        - [mandatory]  required-tags  (aws:s3/bucket:Bucket: site)" in lines
    assert "          Buckets carry the cost-allocation tags." in lines
    assert "          missing tags: owner" in lines
    assert "        - [advisory]  allowed-region  (pulumi:pulumi:Stack: probe-dev)" in lines
    assert "          region us-east-1 of stack dev is not allowed" in lines
    assert "unspecified" not in result.stdout


def test_policy_config_errors_are_all_reported_as_the_cli_reports_them(tmp_path):
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"aws-cloudwatch-log-group-configure-retention": {"minimumRetentionDays": "x"},
                                  "aws-athena-workgroup-configure-bytes-scanned-cutoff": {"maximumBytes": "y"}}))
    result = plan("--stack", "dev", "--policy-config", str(config))
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2 and all(e.startswith("error: validating policy config: engagement-well-architected ")
                                    for e in errors)
    assert "Previewing" not in result.stdout


def test_a_policy_config_for_another_packs_policies_is_accepted_with_a_warning(tmp_path):
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"all": "advisory", "aws-s3-bucket-enforce-tsl": "mandatory"}))
    result = plan("--program", str(PROGRAMS / "no_stack_file"), "--stack", "dev", "--policy-config", str(config),
                  "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert ("warning: policy config names 'aws-s3-bucket-enforce-tsl', which pack 'engagement-well-architected' "
            "does not have (did you mean 'aws-s3-bucket-enforce-tls'?)") in result.stderr


def test_a_rule_whose_input_is_unknown_in_preview_is_reported_not_checked_and_runs_in_update(tmp_path):
    # Defect 8 (runner side): a rule that cannot see its input during preview must not silently pass.
    source = ("import pulumi_aws as aws\n"
              "key = aws.kms.Key('logs', enable_key_rotation=True)\n"
              "aws.cloudwatch.LogGroup('encrypted', kms_key_id=key.arn, retention_in_days=30)\n"
              "aws.cloudwatch.LogGroup('plain', retention_in_days=30)\n")
    directory = program(tmp_path, source)
    pack = ["--policy-pack", str(PACKS / "kms_logs")]
    preview = plan("--program", str(directory), "--stack", "dev", *pack, "--out", str(tmp_path / "p"))
    assert preview.returncode == 1
    lines = preview.stdout.splitlines()
    assert "        - [mandatory] [high]  log-group-kms  (aws:cloudwatch/logGroup:LogGroup: plain)" in lines
    assert ("        - log-group-kms  (aws:cloudwatch/logGroup:LogGroup: encrypted): string value at .kmsKeyId "
            "can't be known during preview") in lines
    assert "    summary: 1 mandatory, 0 advisory, 1 not checked (unknown until deployment), 0 remediations" in lines
    update = plan("--program", str(directory), "--stack", "dev", *pack, "--mode", "update", "--out", str(tmp_path / "u"))
    assert "    summary: 1 mandatory, 0 advisory, 0 not checked (unknown until deployment), 0 remediations" in \
        update.stdout.splitlines()


@pytest.mark.parametrize("program_dir", [REPO_ROOT, PROGRAMS / "random_values", PROGRAMS / "invokes"],
                         ids=["this-project", "pulumi-random", "invokes"])
def test_provider_sdks_loaded_with_postponed_annotations_plan_exactly_as_installed(tmp_path, program_dir):
    runs = {}
    for eager in ("0", "1"):
        out = tmp_path / eager
        result = subprocess.run([sys.executable, "-m", "tools.plan", "--program", str(program_dir), "--stack", "dev",
                                 "--mode", "update", "--quiet", "--out", str(out)], cwd=REPO_ROOT, capture_output=True,
                                text=True, timeout=300,
                                env={**__import__("os").environ, "PULUMI_PLAN_EAGER_ANNOTATIONS": eager})
        assert result.returncode in (0, 1), result.stderr
        runs[eager] = [(out / name).read_text() for name in ("resources.json", "policy-report.json")]
    assert runs["0"] == runs["1"]


def test_an_encrypted_stack_value_becomes_a_secret_placeholder_with_a_warning(tmp_path):
    source = ("import pulumi, pulumi_aws as aws\n"
              "aws.ssm.Parameter('pw', type='SecureString', value=pulumi.Config().require_secret('dbPassword'))\n")
    directory = program(tmp_path, source, "config:\n  probe:dbPassword:\n    secure: AAABAKo3bRDUyXxAFn\n")
    result = plan("--program", str(directory), "--stack", "dev", "--mode", "update", "--out", str(tmp_path / "o"))
    assert result.returncode in (0, 1), result.stderr
    assert ("warning: 'probe:dbPassword' is encrypted in Pulumi.dev.yaml; the program sees a placeholder"
            in result.stderr)
    parameter = next(r for r in json.loads((tmp_path / "o" / "resources.json").read_text()) if r["name"] == "pw")
    assert parameter["inputs"]["value"]["value"] == "<secret probe:dbPassword>"  # still marked secret

"""The PR comment / run summary / drift issue body: built on success and failure, policy results first,
within GitHub's 65,536-character limit, from what the real producers emit."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tools.ci import preview_report
from tools.ci.engine_events import read_events
from tools.ci.markdown import COMMENT_LIMIT

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).parent / "data"
PUBLISHED_EVENTS = DATA / "pulumi_update_events.jsonl"


def report(kind: str, tmp_path: Path, *args: str) -> str:
    out = tmp_path / f"{kind}.md"
    assert preview_report.main([kind, "--stack", "dev", "--out", str(out), *args]) == 0
    return out.read_text()


@pytest.fixture(scope="module")
def offline_plan(tmp_path_factory) -> tuple[Path, str]:
    """The real offline plan of a program with mandatory violations: its policy-report.json and its stdout."""
    out = tmp_path_factory.mktemp("plan")
    result = subprocess.run([sys.executable, "-m", "tools.plan", "--program", "tests/fixtures/programs/public_bucket",
                             "--stack", "test", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 1, result.stderr  # mandatory violations: the gate fails, the report must not
    return out / "policy-report.json", result.stdout


def as_cli_events(report_json: Path, path: Path, changes: dict[str, int] | None) -> Path:
    """INVENTED CONVERSION (the CLI cannot run here): the offline plan's real findings written as the CLI's
    policyEvent records (field names of apitype.PolicyEvent), plus a summaryEvent when the run finished."""
    lines = [json.dumps({"policyEvent": {
        "resourceUrn": f["urn"], "message": f"<{{%reset%}}>{f['message']}<{{%reset%}}>\n", "color": "raw",
        "policyName": f["policy"], "policyPackName": "engagement-well-architected", "policyPackVersion": "0.1.0",
        "policyPackVersionTag": "0.1.0", "enforcementLevel": "warning" if f["level"] == "advisory" else f["level"]}})
        for f in json.loads(report_json.read_text())]
    if changes is not None:
        lines.append(json.dumps({"summaryEvent": {"maybeCorrupt": False, "durationSeconds": 3,
                                                  "resourceChanges": changes,
                                                  "PolicyPacks": {"engagement-well-architected": "v0.1.0"}}}))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_pulumi_published_events_read_with_the_sdk_parser():
    events = read_events(PUBLISHED_EVENTS)
    assert events.completed and events.changes == {"create": 2} and events.unreadable_lines == 0
    (violation,) = events.violations
    assert (violation.policy, violation.level, violation.resource) == ("vpc-sizing", "advisory",
                                                                       "main (aws:ec2/vpc:Vpc)")
    assert violation.detail == "Address space [10.0.0.0/16] is too large. Must be [/22] or smaller."
    assert events.policy_packs["aws"] == "23"


def test_successful_preview_shows_changes_and_advisory_results(tmp_path):
    log = tmp_path / "preview.txt"
    log.write_text("Previewing update (acme/engagement/dev)\n+ aws:ec2/vpc:Vpc main create\n\nResources:\n"
                   "    + 2 to create\n")
    body = report("preview", tmp_path, "--events", str(PUBLISHED_EVENTS), "--log", str(log), "--exit-code", "0")
    assert body.startswith("<!-- engagement-preview:dev -->\n### `pulumi preview`, stack `dev`: ✅ passed")
    assert "**Changes:** + 2 to create" in body
    assert "| ⚠️ advisory | `vpc-sizing` | `main (aws:ec2/vpc:Vpc)` | Address space [10.0.0.0/16] is too large." in body
    assert "0 mandatory**, 1 advisory" in body and "    + 2 to create" in body


def test_mandatory_violation_still_produces_the_full_report(offline_plan, tmp_path):
    report_json, _stdout = offline_plan
    findings = json.loads(report_json.read_text())
    mandatory = [f for f in findings if f["level"] == "mandatory"]
    assert len(mandatory) >= 2
    events = as_cli_events(report_json, tmp_path / "events.jsonl", {"create": 3})
    log = tmp_path / "preview.txt"
    log.write_text("error: preview failed: 2 mandatory policy violations\n")
    body = report("preview", tmp_path, "--events", str(events), "--log", str(log), "--exit-code", "255",
                  "--offline-report", str(report_json), "--run-url", "https://github.com/acme/x/actions/runs/1")
    assert "❌ failed (exit 255)" in body and "**Changes:** + 3 to create" in body
    cli_part, offline_part = body.split("#### Offline plan")
    for finding in mandatory:  # in the CLI's results and again in the offline plan's
        assert f"| 🛑 mandatory | `{finding['policy']}` | `site (aws:s3/bucket" in cli_part
        assert f"| 🛑 mandatory | `{finding['policy']}` | `site (aws:s3/bucket" in offline_part
    assert f"**{len(mandatory)} mandatory**" in body
    assert "[Job log and full output](https://github.com/acme/x/actions/runs/1)" in body


def test_oversized_diff_is_cut_in_the_middle_keeping_the_summary(offline_plan, tmp_path):
    report_json, stdout = offline_plan
    events = as_cli_events(report_json, tmp_path / "events.jsonl", {"create": 150})
    tree = stdout.split("\nPolicies:")[0]  # the plan's preview-like tree: real text of the right shape
    log = tmp_path / "preview.txt"
    log.write_text("Previewing update (acme/engagement/dev)\n" + (tree + "\n") * 2_000
                   + "Resources:\n    + 150 to create\n\nDuration: 2m3s\n")
    assert len(log.read_text()) > 3 * COMMENT_LIMIT
    body = report("preview", tmp_path, "--events", str(events), "--log", str(log), "--exit-code", "255",
                  "--offline-report", str(report_json))
    assert COMMENT_LIMIT - 5_000 < len(body) <= COMMENT_LIMIT
    assert "Previewing update (acme/engagement/dev)" in body and body.rstrip().endswith("</details>")
    assert "    + 150 to create\n\nDuration: 2m3s" in body
    assert "characters) omitted here to stay within GitHub's comment limit" in body and "middle cut" in body
    assert "🛑 mandatory" in body.split("<details>")[0]  # policy results precede the diff


def test_preview_that_never_started_the_engine_reports_the_error(tmp_path):
    log = tmp_path / "preview.txt"
    log.write_text("error: no stack named 'acme/engagement/dev' found\n")
    body = report("preview", tmp_path, "--events", str(tmp_path / "missing.jsonl"), "--log", str(log),
                  "--exit-code", "255")
    assert "❌ failed (exit 255)" in body and "the preview did not finish" in body
    assert "no stack named 'acme/engagement/dev' found" in body


@pytest.mark.parametrize("changes, status", [({"same": 150}, "clean"), ({"same": 149, "update": 1}, "drift"),
                                             (None, "error")])
def test_drift_status_comes_from_the_summary_event(offline_plan, tmp_path, monkeypatch, changes, status):
    output = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    events = as_cli_events(offline_plan[0], tmp_path / "events.jsonl", changes)
    body = report("drift", tmp_path, "--events", str(events), "--exit-code", "0" if status == "clean" else "255")
    assert output.read_text() == f"status={status}\n"
    assert body.startswith("<!-- engagement-drift:dev -->\n### Drift check, stack `dev`: ")
    assert {"clean": "no drift", "drift": "~ 1 to update", "error": "the drift check failed"}[status] in body


def test_text_the_pull_request_controls_cannot_break_out(tmp_path):
    urn = "urn:pulumi:dev::engagement::aws:s3/bucket:Bucket::a|b`c"
    events = tmp_path / "events.jsonl"
    events.write_text(json.dumps({"policyEvent": {
        "resourceUrn": urn, "policyName": "p", "policyPackName": "x", "enforcementLevel": "mandatory",
        "message": "Rule\n<img src=x onerror=alert(1)> ping @octocat | done"}}) + "\n")
    log = tmp_path / "preview.txt"
    log.write_text("```\n</details>\n@octocat\n")
    body = report("preview", tmp_path, "--events", str(events), "--log", str(log), "--exit-code", "255")
    row = next(line for line in body.splitlines() if line.startswith("| 🛑"))
    assert "<img" not in body and "&lt;img src=x" in row and "&#64;octocat" in row and "\\| done" in row
    assert row.count(" | ") == 3  # still four cells
    assert "\n````diff\n```\n</details>\n@octocat\n````\n" in body  # a longer fence than the log's


def test_stack_outputs_keep_secrets_hidden(tmp_path):
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"preferenceCenterUrl": "https://d1.cloudfront.net",
                                   "signingKeySecret": "[secret]", "buckets": {"raw": "engagement-raw"}}))
    body = report("outputs", tmp_path, "--outputs", str(outputs))
    assert "| `preferenceCenterUrl` | `https://d1.cloudfront.net` |" in body
    assert "| `signingKeySecret` | `[secret]` |" in body and '`{"raw": "engagement-raw"}`' in body


def test_offline_plan_summary_for_fork_pull_requests(offline_plan, tmp_path):
    report_json, stdout = offline_plan
    log = tmp_path / "plan.txt"
    log.write_text(stdout)
    body = report("offline", tmp_path, "--log", str(log), "--exit-code", "1", "--offline-report", str(report_json))
    assert body.startswith("<!-- engagement-offline:dev -->\n### Offline plan, stack `dev`: ❌ failed (exit 1)")
    assert "**Changes:**" not in body and "| 🛑 mandatory | `aws-s3-bucket-enable-kms-encryption`" in body


def test_an_update_is_titled_as_one(tmp_path):
    body = report("preview", tmp_path, "--events", str(PUBLISHED_EVENTS), "--exit-code", "0", "--command", "up")
    assert body.startswith("<!-- engagement-up:dev -->\n### `pulumi up`, stack `dev`: ✅ passed")


@pytest.mark.parametrize("with_error", [True, False])
def test_a_failed_drift_check_is_an_error_not_clean(offline_plan, tmp_path, monkeypatch, with_error):
    """The engine emits its summaryEvent even when the run fails (pulumi/pulumi pkg/engine/deployment.go: the
    summary is sent before the walk's error is returned), so a refresh that failed reads as `completed` with
    only `same` resources. That must not close the drift issue and pass the job."""
    output = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    events = as_cli_events(offline_plan[0], tmp_path / "events.jsonl", {"same": 150})
    if with_error:  # INVENTED record with the field names of apitype.DiagnosticEvent
        with events.open("a") as handle:
            handle.write(json.dumps({"diagnosticEvent": {
                "urn": "urn:pulumi:dev::engagement::aws:s3/bucketV2:BucketV2::lake", "prefix": "error: ",
                "message": "<{%reset%}>reading S3 Bucket (lake): AccessDenied<{%reset%}>\n", "color": "raw",
                "severity": "error"}}) + "\n")
    body = report("drift", tmp_path, "--events", str(events), "--exit-code", "255")
    assert output.read_text() == "status=error\n"
    assert "the drift check failed (exit 255)" in body


def test_a_long_backtick_run_in_the_output_still_gives_a_body_within_the_limit(tmp_path):
    """The fence around the CLI output grows with the longest backtick run in it (a value in a diff, a program's
    print): the body must still fit, or the report step fails and the pull request gets no comment at all."""
    log = tmp_path / "preview.txt"
    log.write_text("Previewing update (acme/engagement/dev)\n" + "  ~ description: \"" + "`" * 3_000 + "\"\n"
                   + "    + aws:s3/bucketV2:BucketV2 site create\n" * 3_000 + "Resources:\n    + 1 to create\n")
    body = report("preview", tmp_path, "--events", str(PUBLISHED_EVENTS), "--log", str(log), "--exit-code", "0")
    assert len(body) <= COMMENT_LIMIT and "    + 1 to create" in body and body.rstrip().endswith("</details>")

"""The actions/github-script steps, run by node exactly as written in the workflows, against a recording fake of
the Octokit client github-script passes them (`github.paginate`, `github.rest.issues.*`)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from workflow_files import workflow

HARNESS = """
import fs from 'node:fs';
const [scriptPath, listPath] = process.argv.slice(2);
const list = JSON.parse(fs.readFileSync(listPath, 'utf8'));
const calls = [];
const endpoint = (name) => Object.assign(async (params) => { calls.push([name, params]); return { data: {} }; },
                                         { endpointName: name });
const issues = Object.fromEntries(['listComments', 'listForRepo', 'updateComment', 'createComment', 'create',
                                   'update'].map((name) => [name, endpoint(name)]));
const github = { rest: { issues },
                 paginate: async (fn, params) => { calls.push(['paginate ' + fn.endpointName, params]); return list; } };
const context = { repo: { owner: 'acme', repo: 'engagement' }, issue: { number: 42 } };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
await new AsyncFunction('github', 'context', 'core', fs.readFileSync(scriptPath, 'utf8'))(github, context, {});
console.log(JSON.stringify(calls));
"""


def script_of(workflow_name: str, job: str) -> str:
    step = next(s for s in workflow(workflow_name)["jobs"][job]["steps"]
                if s.get("uses", "").startswith("actions/github-script@"))
    return step["with"]["script"]


def run_script(tmp_path: Path, script: str, existing: list[dict], body: str, **env: str) -> list:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is required to run the workflows' github-script steps")
    (tmp_path / "harness.mjs").write_text(HARNESS)
    (tmp_path / "script.js").write_text(script)
    (tmp_path / "list.json").write_text(json.dumps(existing))
    (tmp_path / "body.md").write_text(body)
    result = subprocess.run([node, str(tmp_path / "harness.mjs"), str(tmp_path / "script.js"),
                             str(tmp_path / "list.json")], capture_output=True, text=True, timeout=60,
                            env={"BODY_FILE": str(tmp_path / "body.md"), "PATH": "/usr/bin:/bin", **env})
    assert result.returncode == 0, result.stderr
    return [tuple(call) for call in json.loads(result.stdout)]


BODY = "<!-- engagement-preview:dev -->\n### `pulumi preview`, stack `dev`: ✅ passed\n"
BOT = {"login": "github-actions[bot]"}


@pytest.mark.parametrize("workflow_name, job", [("pr.yml", "preview"), ("review-stack.yml", "deploy")])
def test_first_report_creates_a_comment(tmp_path, workflow_name, job):
    calls = run_script(tmp_path, script_of(workflow_name, job), [], BODY)
    assert calls[-1] == ("createComment", {"owner": "acme", "repo": "engagement", "issue_number": 42, "body": BODY})


def test_later_reports_update_the_bots_own_comment_of_the_same_stack(tmp_path):
    existing = [{"id": 1, "user": BOT, "body": "<!-- engagement-preview:prod -->\nold prod"},
                {"id": 2, "user": {"login": "mallory"}, "body": BODY + "a human's copy"},
                {"id": 3, "user": BOT, "body": BODY + "old dev"}]
    calls = run_script(tmp_path, script_of("pr.yml", "preview"), existing, BODY)
    assert calls[-1] == ("updateComment", {"owner": "acme", "repo": "engagement", "comment_id": 3, "body": BODY})
    assert not any(name == "createComment" for name, _ in calls)


DRIFT = "<!-- engagement-drift:prod -->\n### Drift check, stack `prod`: ⚠️ drift detected\n"
ENV = {"STACK": "prod", "RUN_URL": "https://github.com/acme/engagement/actions/runs/7"}


def test_drift_opens_an_issue(tmp_path):
    calls = run_script(tmp_path, script_of("drift.yml", "drift"), [], DRIFT, STATUS="drift", **ENV)
    assert calls[0] == ("paginate listForRepo", {"owner": "acme", "repo": "engagement", "state": "open",
                                                 "labels": "drift", "per_page": 100})
    assert calls[1] == ("create", {"owner": "acme", "repo": "engagement", "body": DRIFT, "labels": ["drift"],
                                   "title": "Drift: stack prod differs from the code"})


def test_lasting_drift_updates_the_open_issue_of_that_stack(tmp_path):
    existing = [{"number": 5, "body": "<!-- engagement-drift:dev -->"}, {"number": 6, "body": DRIFT + "old"},
                {"number": 7, "body": DRIFT, "pull_request": {}}]
    calls = run_script(tmp_path, script_of("drift.yml", "drift"), existing, DRIFT, STATUS="drift", **ENV)
    assert [name for name, _ in calls] == ["paginate listForRepo", "update", "createComment"]
    assert calls[1][1]["issue_number"] == 6 and calls[1][1]["body"] == DRIFT
    assert ENV["RUN_URL"] in calls[2][1]["body"]


def test_no_drift_closes_the_open_issue_and_otherwise_does_nothing(tmp_path):
    existing = [{"number": 6, "body": DRIFT + "old"}]
    calls = run_script(tmp_path, script_of("drift.yml", "drift"), existing, DRIFT, STATUS="clean", **ENV)
    assert [name for name, _ in calls] == ["paginate listForRepo", "createComment", "update"]
    assert calls[2][1] == {"owner": "acme", "repo": "engagement", "issue_number": 6, "state": "closed",
                           "state_reason": "completed"}
    assert [name for name, _ in run_script(tmp_path, script_of("drift.yml", "drift"), [], DRIFT, STATUS="clean",
                                           **ENV)] == ["paginate listForRepo"]

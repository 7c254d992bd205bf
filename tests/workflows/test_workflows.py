"""The workflows keep the contract of issue 13: reports on failure too, per-environment concurrency and roles,
prod previewed before its approval, CLI pinned to the SDK, caches keyed on every requirements file."""
from __future__ import annotations

import fnmatch
import re

import yaml

from workflow_files import ROOT, SETUP_ACTION, WORKFLOWS, all_steps, load, workflow

CURRENT_MAJORS = {"actions/checkout": "v7", "actions/setup-python": "v7", "actions/cache": "v6",
                  "actions/upload-artifact": "v7", "actions/download-artifact": "v7", "actions/github-script": "v9",
                  "aws-actions/configure-aws-credentials": "v6", "pulumi/actions": "v7", "pulumi/auth-actions": "v2"}


def steps_of(job: dict) -> list[dict]:
    return job.get("steps", [])


def index(job: dict, predicate) -> int:
    return next(i for i, step in enumerate(steps_of(job)) if predicate(step))


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps_of(job))


def test_every_action_is_on_its_current_major():
    for where, step in all_steps():
        if step.get("uses", "./").startswith("./"):
            continue
        name, ref = step["uses"].split("@")
        assert CURRENT_MAJORS.get(name) == ref, (where, step["uses"])


def test_pr_tests_and_offline_plan_need_no_credentials():
    jobs = workflow("pr.yml")["jobs"]
    assert "make test" in runs(jobs["test"]) and "make plan" in runs(jobs["offline-plan"])
    for job in ("test", "offline-plan"):
        assert "secrets." not in yaml.safe_dump(jobs[job]) and "permissions" not in jobs[job]


def test_pr_preview_reports_on_failure_before_failing_the_job():
    preview = workflow("pr.yml")["jobs"]["preview"]
    assert preview["if"].startswith("${{ !cancelled()")  # runs after a failed offline plan too
    run = index(preview, lambda s: "pulumi preview" in s.get("run", ""))
    command = steps_of(preview)[run]["run"]
    assert "set +e" in command and "PIPESTATUS[0]" in command and "--event-log" in command
    assert "--policy-pack policy --policy-pack-config \"policy/config/$STACK.json\"" in command
    assert steps_of(preview)[run]["env"]["PULUMI_DEBUG_COMMANDS"] == "true"
    report = index(preview, lambda s: "tools.ci.preview_report preview" in s.get("run", ""))
    comment = index(preview, lambda s: s.get("uses", "").startswith("actions/github-script@"))
    fail = index(preview, lambda s: s.get("name", "").startswith("Fail"))
    assert run < report < comment < fail
    for i in (report, comment):
        assert steps_of(preview)[i]["if"].startswith("${{ !cancelled()")
    assert "--offline-report" in steps_of(preview)[report]["run"]  # the offline plan's policy results too
    assert "GITHUB_STEP_SUMMARY" in steps_of(preview)[report]["run"]


def test_offline_plan_reports_and_shares_its_policy_results_before_failing():
    job = workflow("pr.yml")["jobs"]["offline-plan"]
    report = index(job, lambda s: "preview_report offline" in s.get("run", ""))
    upload = index(job, lambda s: s.get("uses", "").startswith("actions/upload-artifact@"))
    fail = index(job, lambda s: s.get("name", "").startswith("Fail"))
    assert report < fail and upload < fail


def test_previews_use_a_read_only_role_per_environment():
    assert workflow("pr.yml")["jobs"]["preview"]["environment"] == "${{ matrix.stack }}-preview"
    assert workflow("drift.yml")["jobs"]["drift"]["environment"] == "${{ matrix.stack }}-preview"
    assert workflow("deploy.yml")["jobs"]["prod-preview"]["environment"] == "prod-preview"
    for path in WORKFLOWS.glob("*.yml"):
        text = path.read_text()
        assert "AWS_PREVIEW_ROLE_ARN" not in text and "AWS_DEPLOY_ROLE_ARN" not in text, path.name
        assert "aws-role-arn: ${{ vars.AWS_ROLE_ARN }}" in text, path.name  # the environment's own variable


def test_no_long_lived_token_in_job_or_workflow_env():
    for path in WORKFLOWS.glob("*.yml"):
        data = load(path)
        assert "secrets." not in yaml.safe_dump(data.get("env", {})), path.name
        for name, job in data["jobs"].items():
            assert "secrets." not in yaml.safe_dump(job.get("env", {})), (path.name, name)
    action = SETUP_ACTION.read_text()
    assert "pulumi/auth-actions@v2" in action and "if: steps.check.outputs.pulumi-auth == 'oidc'" in action


def test_no_stack_name_is_built_from_an_unchecked_org():
    for path in WORKFLOWS.glob("*.yml"):
        assert "vars.PULUMI_ORG }}/" not in path.read_text(), path.name  # an unset org gave the stack '/dev'
    checks = [s for s in load(SETUP_ACTION)["runs"]["steps"] if "tools.ci.check_setup" in s.get("run", "")]
    assert len(checks) == 1 and checks[0]["id"] == "check"


def test_deploy_concurrency_is_one_group_per_environment():
    deploy = workflow("deploy.yml")
    assert "concurrency" not in deploy  # a workflow-wide group held dev behind the prod approval
    groups = {}
    for name, job in deploy["jobs"].items():
        if "pulumi up" in runs(job):
            assert job["concurrency"]["cancel-in-progress"] is False
            groups[job["environment"]] = job["concurrency"]["group"]
    assert groups == {"dev": "deploy-dev", "production": "deploy-prod"}


def test_prod_is_previewed_on_the_run_summary_before_its_approval():
    jobs = workflow("deploy.yml")["jobs"]
    assert jobs["prod-preview"]["needs"] == "dev" and jobs["prod"]["needs"] == "prod-preview"
    assert jobs["prod"]["environment"] == "production" and "pulumi up" not in runs(jobs["prod-preview"])
    preview = runs(jobs["prod-preview"])
    assert "--policy-pack policy --policy-pack-config policy/config/prod.json" in preview
    assert "preview_report preview --stack prod" in preview and "GITHUB_STEP_SUMMARY" in preview


def test_each_deploy_puts_the_update_and_stack_outputs_on_the_run_summary():
    jobs = workflow("deploy.yml")["jobs"]
    for name, stack in (("dev", "dev"), ("prod", "prod")):
        commands = runs(jobs[name])
        assert f"--policy-pack policy --policy-pack-config policy/config/{stack}.json" in commands
        assert "pulumi stack output --stack" in commands and "preview_report outputs" in commands


def test_cli_is_pinned_to_the_sdk_version():
    steps = load(SETUP_ACTION)["runs"]["steps"]
    version = next(s for s in steps if s.get("id") == "cli")
    assert "sed -n 's/^pulumi==//p' requirements.txt" in version["run"]
    install = next(s for s in steps if s.get("uses", "").startswith("pulumi/actions@"))
    assert install["with"] == {"pulumi-version": "${{ steps.cli.outputs.version }}"}
    assert re.search(r"^pulumi==\d+\.\d+\.\d+$", (ROOT / "requirements.txt").read_text(), re.M)


def test_pip_caches_are_keyed_on_every_requirements_file():
    files = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("requirements*.txt")
             if not {".venv", "node_modules", ".build", "out"} & set(p.relative_to(ROOT).parts)]
    assert "policy/requirements.txt" in files and any(f.startswith("functions/") for f in files)
    for where, step in all_steps():
        if step.get("uses", "").startswith("actions/setup-python@"):
            patterns = step["with"]["cache-dependency-path"].split()
            needed = files if where.startswith(("pr.yml:test", "pr.yml:offline-plan")) else \
                [f for f in files if "requirements-dev" not in f]
            for f in needed:
                assert any(fnmatch.fnmatch(f, pattern) for pattern in patterns), (where, f)


def test_drift_check_runs_daily_per_stack_and_manages_an_issue():
    drift = workflow("drift.yml")
    assert drift["on"]["schedule"][0]["cron"] and "workflow_dispatch" in drift["on"]
    job = drift["jobs"]["drift"]
    assert job["strategy"]["matrix"]["stack"] == ["dev", "prod"] and job["permissions"]["issues"] == "write"
    assert "pulumi preview --refresh --expect-no-changes" in runs(job)
    assert "preview_report drift" in runs(job)


def test_review_stacks_are_behind_a_label_and_destroyed_on_close():
    review = workflow("review-stack.yml")
    assert set(review["on"]["pull_request"]["types"]) == {"labeled", "unlabeled", "synchronize", "reopened",
                                                          "closed"}
    deploy, destroy = review["jobs"]["deploy"], review["jobs"]["destroy"]
    assert "contains(github.event.pull_request.labels.*.name, 'review-stack')" in deploy["if"]
    assert "github.event.action == 'closed'" in destroy["if"] and "github.event.label.name == 'review-stack'" in \
        destroy["if"]
    assert "pulumi destroy --yes --remove" in runs(destroy)
    assert "--policy-pack policy --policy-pack-config policy/config/dev.json" in runs(deploy)
    assert deploy["environment"] == destroy["environment"] == "review"


def test_labelling_a_closed_pull_request_deploys_no_review_stack():
    """`labeled` fires on closed pull requests too, and `closed` (the destroy) has already fired for them: a
    stack deployed then would stay in the review account until someone noticed."""
    deploy = workflow("review-stack.yml")["jobs"]["deploy"]
    assert "github.event.pull_request.state == 'open'" in deploy["if"]

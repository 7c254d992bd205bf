"""The deploy, CI setup and policy-publishing docs give steps that match the files they describe."""
from __future__ import annotations

import re

import yaml

from workflow_files import ROOT, WORKFLOWS

README = (ROOT / "README.md").read_text()
PUBLISH = (ROOT / "docs" / "policy-publish.md").read_text()
MAKEFILE = (ROOT / "Makefile").read_text()


def section(title: str) -> str:
    start = README.index(f"## {title}\n")
    return README[start: README.index("\n## ", start + 1)]


def test_policy_venv_target_creates_the_venv_the_pack_names():
    venv = yaml.safe_load((ROOT / "policy" / "PulumiPolicy.yaml").read_text())["runtime"]["options"]["virtualenv"]
    assert re.search(rf"^POLICY_VENV := policy/{venv}$", MAKEFILE, re.M)
    assert re.search(r"^\$\(POLICY_VENV\)/\.installed: policy/requirements\.txt$", MAKEFILE, re.M)
    assert "$(PYTHON) -m venv $(POLICY_VENV)" in MAKEFILE


def test_deploy_section_is_complete_for_a_new_team():
    deploy = section("Deploying with the Pulumi CLI")
    assert "The CLI creates `.venv` from `requirements.txt` (Pulumi.yaml `runtime.options.virtualenv`) and the pack's" \
        not in deploy  # the old claim that the CLI creates policy/venv
    for needed in ("aws sts get-caller-identity", "pulumi login", "pulumi login 's3://", "awskms://",
                   "PULUMI_CONFIG_PASSPHRASE", "pulumi install", "make policy-venv",
                   "pulumi stack init <org>/engagement/dev", "pulumi stack init <org>/engagement/prod",
                   "pulumi stack init dev  --secrets-provider", "pulumi stack init prod --secrets-provider",
                   "--policy-pack-config policy/config/dev.json", "--policy-pack-config policy/config/prod.json",
                   "make check-policy-config", "docs/policy-publish.md"):
        assert needed in deploy, needed
    version = re.search(r"^pulumi==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M).group(1)
    assert f"--version {version}" in deploy  # the CLI version CI installs


def test_ci_setup_names_every_variable_secret_and_environment_the_workflows_use():
    ci = section("CI setup")
    text = "\n".join(p.read_text() for p in WORKFLOWS.glob("*.yml"))
    used = set(re.findall(r"\$\{\{ (?:vars|secrets)\.([A-Z_]+)", text)) - {"GITHUB_TOKEN"}
    assert used >= {"PULUMI_ORG", "PULUMI_BACKEND_URL", "AWS_ROLE_ARN", "PULUMI_ACCESS_TOKEN"}
    for name in used:
        assert f"`{name}`" in ci, name
    environments = {job.get("environment") for p in WORKFLOWS.glob("*.yml")
                    for job in yaml.safe_load(p.read_text())["jobs"].values()} - {None}
    environments = {e.replace("${{ matrix.stack }}", s) for e in environments for s in ("dev", "prod")}
    for name in environments:
        assert f"| `{name}`" in ci, name
    assert "required reviewers" in ci and "token.actions.githubusercontent.com" in ci
    for path in WORKFLOWS.glob("*.yml"):
        assert f"`{path.name}`" in ci, path.name


def test_policy_publish_uses_real_group_names_and_separate_groups():
    assert not re.search(r"--policy-group default(\s|$)", PUBLISH)  # there is no group called `default`
    assert "default-policy-group" in PUBLISH and "pulumi policy group new production" in PUBLISH
    enables = re.findall(r"pulumi policy enable .*--policy-group (\S+) \\\n\s+--config (\S+)", PUBLISH)
    assert ("production", "config/prod.json") in enables and ("default-policy-group", "config/dev.json") in enables
    assert "--remove-stack engagement/prod" in PUBLISH and "edition" in PUBLISH


def test_policy_publish_says_validate_config_misses_unknown_rule_names_and_ships_the_check():
    assert "never looks at the file's own keys" in PUBLISH
    assert "python -m tools.check_policy_config policy/config/dev.json policy/config/prod.json" in PUBLISH
    assert "unknown rule name, a wrong type or a misspelt level fails and names the key" not in PUBLISH

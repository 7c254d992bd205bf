"""CI fails early and names the missing setting: no job reaches Pulumi with a stack called '/dev'."""
from __future__ import annotations

from pathlib import Path

import pytest

from tools.ci import check_setup

ROLE = "arn:aws:iam::123456789012:role/engagement-preview-dev"
CLOUD = {"PULUMI_ORG": "acme", "AWS_ROLE_ARN": ROLE, "ACTIONS_ID_TOKEN_REQUEST_URL": "https://token.example"}


def run(env: dict, stack: str = "dev", tmp_path: Path | None = None) -> tuple[int, str]:
    """Exit code and what was written to $GITHUB_OUTPUT (when a tmp_path is given)."""
    output = tmp_path / "github_output" if tmp_path else None
    code = check_setup.main(["--stack", stack], env={**env, **({"GITHUB_OUTPUT": str(output)} if output else {})})
    return code, output.read_text() if output and output.exists() else ""


def test_pulumi_cloud_with_oidc_gives_the_fully_qualified_stack(tmp_path, capsys):
    code, output = run(CLOUD, tmp_path=tmp_path)
    assert code == 0
    assert output.splitlines() == ["stack-ref=acme/engagement/dev", "backend=cloud", "pulumi-auth=oidc"]


def test_a_token_secret_is_used_instead_of_oidc(tmp_path):
    code, output = run({**CLOUD, "PULUMI_ACCESS_TOKEN": "pul-x"}, tmp_path=tmp_path)
    assert code == 0 and "pulumi-auth=token" in output


def test_unset_org_fails_before_the_stack_becomes_slash_dev(capsys):
    env = {k: v for k, v in CLOUD.items() if k != "PULUMI_ORG"}
    assert run(env)[0] == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("::error title=CI setup::PULUMI_ORG is not set: without it the stack would be '/dev'")


@pytest.mark.parametrize("env, fragment", [
    ({"PULUMI_ORG": "acme", "AWS_ROLE_ARN": ROLE}, "no Pulumi Cloud credentials"),
    ({**CLOUD, "AWS_ROLE_ARN": ""}, "AWS_ROLE_ARN is not set"),
    ({**CLOUD, "AWS_ROLE_ARN": "engagement-preview-dev"}, "is not an IAM role ARN"),
    ({**CLOUD, "PULUMI_ORG": "acme corp"}, "is not an organization name"),
    ({**CLOUD, "PULUMI_BACKEND_URL": "bucket-name"}, "is not a backend URL"),
], ids=["no-credentials", "no-role", "role-not-an-arn", "org-with-space", "backend-without-scheme"])
def test_each_problem_is_one_error_line_naming_the_setting(env, fragment, capsys):
    assert run(env)[0] == 1
    out = capsys.readouterr().out
    assert fragment in out and out.count("::error") == 1 and "README.md, section 'CI setup'" in out


def test_every_problem_is_reported_at_once(capsys):
    assert run({})[0] == 1
    out = capsys.readouterr().out
    assert "PULUMI_ORG is not set" in out and "no Pulumi Cloud credentials" in out and "AWS_ROLE_ARN" in out


def test_a_stack_without_a_committed_stack_file_is_reported(capsys):
    assert run(CLOUD, "staging")[0] == 1
    assert "Pulumi.staging.yaml does not exist" in capsys.readouterr().out


def _program(tmp_path: Path, stack_file: str) -> Path:
    (tmp_path / "Pulumi.yaml").write_text("name: engagement\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text(stack_file)
    return tmp_path


S3 = {"PULUMI_BACKEND_URL": "s3://acme-pulumi-state?region=eu-west-1", "AWS_ROLE_ARN": ROLE}


def test_self_managed_backend_with_awskms_needs_no_org_nor_token(tmp_path):
    root = _program(tmp_path, "secretsprovider: awskms://alias/engagement-pulumi?region=eu-west-1\n"
                              "encryptedkey: AQICAHh...\nconfig:\n  aws:region: eu-west-1\n")
    setup = check_setup.check(S3, "dev", root=root)
    assert setup.errors == [] and (setup.stack_ref, setup.backend, setup.pulumi_auth) == ("dev", "self-managed",
                                                                                           "none")


def test_self_managed_backend_with_a_passphrase_stack_needs_the_passphrase(tmp_path):
    root = _program(tmp_path, "encryptionsalt: v1:abc\nconfig: {}\n")
    assert "PULUMI_CONFIG_PASSPHRASE is not set" in check_setup.check(S3, "dev", root=root).errors[0]
    assert check_setup.check({**S3, "PULUMI_CONFIG_PASSPHRASE": "x"}, "dev", root=root).errors == []


def test_self_managed_backend_with_a_stack_never_initialised_there_says_how(tmp_path):
    root = _program(tmp_path, "config:\n  aws:region: eu-west-1\n")
    (error,) = check_setup.check(S3, "dev", root=root).errors
    assert "run `pulumi stack init dev --secrets-provider awskms://" in error


def test_a_new_review_stack_on_a_self_managed_backend_needs_a_secrets_provider(tmp_path):
    root = _program(tmp_path, "config: {}\n")
    assert "PULUMI_SECRETS_PROVIDER is not set" in check_setup.check(S3, "pr-7", root=root, new_stack=True).errors[0]
    ok = check_setup.check({**S3, "PULUMI_SECRETS_PROVIDER": "awskms://alias/x"}, "pr-7", root=root,
                           new_stack=True)
    assert ok.errors == [] and ok.stack_ref == "pr-7"


def test_the_shipped_stack_files_pass_on_pulumi_cloud():
    for stack in ("dev", "prod"):
        assert check_setup.check(CLOUD, stack).errors == []

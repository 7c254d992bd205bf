"""Fail a CI job early, naming each missing or malformed setting, before any Pulumi or AWS call.

    python -m tools.ci.check_setup --stack dev            # in a job, with the settings in the environment
    python -m tools.ci.check_setup --stack pr-42 --new-stack

Reads the settings the workflows pass from repository/environment variables and secrets:
PULUMI_BACKEND_URL (empty = Pulumi Cloud), PULUMI_ORG, PULUMI_ACCESS_TOKEN, AWS_ROLE_ARN,
PULUMI_CONFIG_PASSPHRASE, PULUMI_SECRETS_PROVIDER, and ACTIONS_ID_TOKEN_REQUEST_URL (set by GitHub when the job
may request an OIDC token). Prints one `::error::` line per problem (GitHub shows them on the run page) and
exits 1; on success writes `stack-ref`, `backend` and `pulumi-auth` to $GITHUB_OUTPUT. Standard library only:
it runs before any dependency is installed.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HELP = "see README.md, section 'CI setup'"
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}$")
_ORG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_STACK = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
SELF_MANAGED_SCHEMES = ("s3://", "gs://", "azblob://", "file://")


@dataclass
class Setup:
    stack_ref: str = ""
    backend: str = ""       # cloud | self-managed
    pulumi_auth: str = ""   # token | oidc | none (self-managed backends need no Pulumi token)
    errors: list[str] = field(default_factory=list)


def _project_name(root: Path) -> str:
    for line in (root / "Pulumi.yaml").read_text().splitlines():
        if line.startswith("name:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    raise ValueError("Pulumi.yaml has no top-level name")


def _stack_file_keys(path: Path) -> dict[str, str]:
    """Top-level scalar keys of a stack file (secretsprovider, encryptedkey, encryptionsalt) without PyYAML."""
    keys = {}
    for line in path.read_text().splitlines():
        match = re.match(r"^([a-z]+):\s*(\S.*)?$", line)
        if match and match.group(1) != "config":
            keys[match.group(1)] = (match.group(2) or "").strip().strip("'\"")
    return keys


def _check_self_managed(setup: Setup, env: Mapping[str, str], stack: str, stack_file: Path, new_stack: bool):
    setup.backend, setup.pulumi_auth, setup.stack_ref = "self-managed", "none", stack
    has_passphrase = bool(env.get("PULUMI_CONFIG_PASSPHRASE"))
    if new_stack:
        if not env.get("PULUMI_SECRETS_PROVIDER") and not has_passphrase:
            setup.errors.append(
                "PULUMI_SECRETS_PROVIDER is not set: a new stack on a self-managed backend needs a secrets provider;"
                " set the variable to e.g. awskms://alias/engagement-pulumi?region=us-east-1 (or set the secret "
                f"PULUMI_CONFIG_PASSPHRASE); {HELP}")
        return
    if not stack_file.is_file():
        return  # reported by the caller
    keys = _stack_file_keys(stack_file)
    provider = keys.get("secretsprovider", "")
    if provider.startswith(("awskms://", "gcpkms://", "azurekeyvault://", "hashivault://")):
        return
    if "encryptionsalt" not in keys and not provider:
        setup.errors.append(
            f"{stack_file.name} has no secrets provider: on a self-managed backend run `pulumi stack init {stack} "
            "--secrets-provider awskms://alias/<key>?region=<region>` once and commit the secretsprovider and "
            f"encryptedkey lines it writes; {HELP}")
    elif not has_passphrase:
        setup.errors.append(
            f"PULUMI_CONFIG_PASSPHRASE is not set: {stack_file.name} uses the passphrase secrets provider; add the "
            f"passphrase as a secret of the job's environment, or move the stack to awskms; {HELP}")


def _check_cloud(setup: Setup, env: Mapping[str, str], project: str, stack: str):
    setup.backend = "cloud"
    org = env.get("PULUMI_ORG", "").strip()
    if not org:
        setup.errors.append(
            f"PULUMI_ORG is not set: without it the stack would be '/{stack}'. Set the repository variable "
            "PULUMI_ORG to your Pulumi Cloud organization (Settings > Secrets and variables > Actions > "
            f"Variables), or PULUMI_BACKEND_URL for a self-managed backend; {HELP}")
    elif not _ORG.match(org):
        setup.errors.append(f"PULUMI_ORG '{org}' is not an organization name (letters, digits, '.', '_', '-'); "
                            f"{HELP}")
    else:
        setup.stack_ref = f"{org}/{project}/{stack}"
    if env.get("PULUMI_ACCESS_TOKEN"):
        setup.pulumi_auth = "token"
    elif env.get("ACTIONS_ID_TOKEN_REQUEST_URL"):
        setup.pulumi_auth = "oidc"
    else:
        setup.pulumi_auth = "none"
        setup.errors.append(
            "no Pulumi Cloud credentials: give the job `permissions: id-token: write` and register GitHub as an "
            "OIDC issuer in your Pulumi organization, or set the secret PULUMI_ACCESS_TOKEN on the job's "
            f"environment; {HELP}")


def check(env: Mapping[str, str], stack: str, root: Path = ROOT, new_stack: bool = False) -> Setup:
    setup = Setup()
    if not _STACK.match(stack):
        setup.errors.append(f"stack name '{stack}' is not valid (letters, digits, '.', '_', '-')")
        return setup
    stack_file = root / f"Pulumi.{stack}.yaml"
    if not new_stack and not stack_file.is_file():
        setup.errors.append(f"{stack_file.name} does not exist: every stack CI deploys has a committed stack file;"
                            f" {HELP}")
    backend_url = env.get("PULUMI_BACKEND_URL", "").strip()
    if backend_url.startswith(SELF_MANAGED_SCHEMES):
        _check_self_managed(setup, env, stack, stack_file, new_stack)
    elif backend_url and not backend_url.startswith("https://"):
        setup.errors.append(f"PULUMI_BACKEND_URL '{backend_url}' is not a backend URL (s3://, gs://, azblob://, "
                            f"file:// or https:// for a self-hosted Pulumi Cloud); {HELP}")
    else:
        _check_cloud(setup, env, _project_name(root), stack)
    role = env.get("AWS_ROLE_ARN", "").strip()
    if not role:
        setup.errors.append(
            "AWS_ROLE_ARN is not set: set it as a variable of the job's environment (Settings > Environments > "
            f"<environment> > Environment variables) to the IAM role GitHub's OIDC token may assume; {HELP}")
    elif not _ROLE_ARN.match(role):
        setup.errors.append(f"AWS_ROLE_ARN '{role}' is not an IAM role ARN (arn:aws:iam::<12 digits>:role/<name>);"
                            f" {HELP}")
    return setup


def main(argv: list[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.ci.check_setup", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stack", required=True, help="stack name (dev, prod, pr-42)")
    parser.add_argument("--new-stack", action="store_true", help="the stack may not exist yet (review stacks)")
    args = parser.parse_args(argv)
    env = os.environ if env is None else env
    setup = check(env, args.stack, new_stack=args.new_stack)
    for error in setup.errors:
        print(f"::error title=CI setup::{error}")
    if setup.errors:
        return 1
    print(f"stack {setup.stack_ref} on a {setup.backend} backend (Pulumi auth: {setup.pulumi_auth})")
    output = env.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a", encoding="utf-8") as handle:
            handle.write(f"stack-ref={setup.stack_ref}\nbackend={setup.backend}\n"
                         f"pulumi-auth={setup.pulumi_auth}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

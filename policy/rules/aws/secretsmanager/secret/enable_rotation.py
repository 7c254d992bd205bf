"""Secrets Manager secrets rotate automatically."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, PolicyResource, Severity

from rules._framework import Pillar, RuleMeta, StackView, get_path, stack_policy

SECRET = "aws:secretsmanager/secret:Secret"
ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"
META = RuleMeta(
    id="SECRETS-002", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="Secrets Manager secrets have an `aws.secretsmanager.SecretRotation` with a schedule of at most "
                "the configured number of days, so a leaked secret stops working without anyone remembering "
                "to change it.",
    remediation="Add an aws.secretsmanager.SecretRotation with rotation_lambda_arn and rotation_rules "
                "(automatically_after_days or schedule_expression).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC02-BP05",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
    settings={"maximumDays": {"type": "integer", "minimum": 1, "default": 90}})


def check(view: StackView, config: Mapping[str, Any]) -> Iterable[tuple[PolicyResource, str]]:
    for secret in view.of_type(SECRET):
        rotations = view.attached(secret, ROTATION, "secretId")
        if not rotations:
            yield secret, f"secret {secret.name} has no rotation."
            continue
        days = get_path(rotations[0].props, "rotationRules.automaticallyAfterDays")
        if days and days > config["maximumDays"]:
            yield secret, f"secret {secret.name} rotates every {int(days)} days; at most {config['maximumDays']}."


POLICY = stack_policy(__name__, META, check)

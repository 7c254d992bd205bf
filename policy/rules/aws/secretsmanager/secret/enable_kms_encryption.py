"""Secrets Manager secrets are encrypted with a customer-managed key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="SECRETS-001", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="Secrets Manager secrets set `kmsKeyId` to a customer-managed key, so reading a secret also "
                "requires kms:Decrypt granted explicitly on the stack's key.",
    remediation="Set kms_key_id=key.arn on the aws.secretsmanager.Secret.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html")


def check(props, _config):
    key = props.get("kmsKeyId")
    if not key or key == "alias/aws/secretsmanager":
        yield "`kmsKeyId` is not a customer-managed key."


POLICY = resource_policy(__name__, META, ["aws:secretsmanager/secret:Secret"], check)

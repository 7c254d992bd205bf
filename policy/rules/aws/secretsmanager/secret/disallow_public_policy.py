"""Secrets Manager resource policies allow nothing to everyone."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, check_policy_not_public, resource_policy

META = RuleMeta(
    id="SECRETS-003", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="Secrets Manager secret policies (`aws.secretsmanager.SecretPolicy` or the secret's `policy`) have "
                "no Allow statement for everyone without a condition pinning the caller to a concrete account, "
                "organisation or source.",
    remediation="Grant secretsmanager:GetSecretValue to the reading role's ARN, or leave the secret without a "
                "resource policy and grant through the role's identity policy.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html")

POLICY = resource_policy(__name__, META, ["aws:secretsmanager/secret:Secret",
                                          "aws:secretsmanager/secretPolicy:SecretPolicy"], check_policy_not_public)

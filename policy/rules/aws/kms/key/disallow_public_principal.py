"""KMS key policies grant nothing to everyone."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, check_policy_not_public, resource_policy

META = RuleMeta(
    id="KMS-004", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="KMS key policies (the key's `policy` or an aws.kms.KeyPolicy) have no Allow statement for "
                "everyone unless a condition pins the caller to a concrete account or organisation "
                "(kms:CallerAccount, aws:PrincipalOrgID...); wildcard values and IfExists forms do not count.",
    remediation="Name the account root or specific roles as principals, or add an aws:SourceAccount, "
                "aws:PrincipalOrgID or kms:CallerAccount condition.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html")


POLICY = resource_policy(__name__, META, ["aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy"], check_policy_not_public)

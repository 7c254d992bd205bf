"""KMS keys never bypass the key-policy lockout safety check."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, value_policy

# Absent means false (the provider default), which is the compliant value.
POLICY = value_policy(__name__, RuleMeta(
    id="KMS-002", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="KMS keys do not set `bypassPolicyLockoutSafetyCheck`, which could make a key unmanageable "
                "by anyone in the account.",
    remediation="Remove `bypass_policy_lockout_safety_check` (or set it to False) and keep the account-root "
                "statement in the key policy.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP01",
    url="https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html"),
    "aws:kms/key:Key", "bypassPolicyLockoutSafetyCheck", [False], absent_is_violation=False)

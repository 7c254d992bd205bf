"""Symmetric KMS keys rotate their key material automatically."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="KMS-001", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Symmetric customer-managed KMS keys rotate their key material automatically.",
    remediation="Set `enable_key_rotation=True` (and optionally rotation_period_in_days) on the `aws.kms.Key` "
                "(components.EncryptionKey does this).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP01",
    url="https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html")


def check(props: Any, _config: Mapping[str, Any]) -> Iterable[str]:
    # Asymmetric and HMAC keys cannot rotate automatically; only symmetric encryption keys are in scope.
    if props.get("customerMasterKeySpec", "SYMMETRIC_DEFAULT") not in (None, "SYMMETRIC_DEFAULT"):
        return
    if props.get("enableKeyRotation") is not True:
        yield "`enableKeyRotation` is not true; symmetric keys must rotate."


POLICY = resource_policy(__name__, META, ["aws:kms/key:Key"], check)

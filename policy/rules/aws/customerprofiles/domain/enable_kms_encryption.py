"""Customer Profiles domains encrypt profiles with a customer-managed key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="PROFILES-001", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Amazon Connect Customer Profiles domains set `defaultEncryptionKey`, so profiles (addresses, "
                "churn scores, recommendations) are encrypted with a customer-managed key.",
    remediation="Set default_encryption_key=key.arn on the aws.customerprofiles.Domain.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/customerprofiles/latest/APIReference/API_CreateDomain.html")


def check(props, _config):
    if not props.get("defaultEncryptionKey"):
        yield "`defaultEncryptionKey` is not set."


POLICY = resource_policy(__name__, META, ["aws:customerprofiles/domain:Domain"], check)

"""SNS topics encrypt messages with a customer-managed key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="SNS-001", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="SNS topics encrypt messages at rest with a customer-managed KMS key (`kmsMasterKeyId` other "
                "than alias/aws/sns, which services such as CloudWatch alarms cannot use).",
    remediation="Set kms_master_key_id to the stack's key ARN and allow the publishing service in the key "
                "policy (components.EncryptionKey does this).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html")


def check(props, _config):
    key = props.get("kmsMasterKeyId")
    if not key:
        yield "`kmsMasterKeyId` is not set; messages are not encrypted at rest."
    elif key == "alias/aws/sns":
        yield "`kmsMasterKeyId` is the AWS-managed alias/aws/sns; use a customer-managed key."


POLICY = resource_policy(__name__, META, ["aws:sns/topic:Topic"], check)

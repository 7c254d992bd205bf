"""CloudWatch log groups encrypt log data with a customer-managed key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="LOGS-003", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="CloudWatch log groups set `kmsKeyId`, because logs routinely contain personal data such as "
                "e-mail addresses and phone numbers.",
    remediation="Set kms_key_id to the stack's key ARN; its key policy must allow logs.<region>.amazonaws.com "
                "(components.EncryptionKey does this).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html")


def check(props, _config):
    if not props.get("kmsKeyId"):
        yield "`kmsKeyId` is not set."


POLICY = resource_policy(__name__, META, ["aws:cloudwatch/logGroup:LogGroup"], check)

"""DynamoDB tables encrypt with a customer-managed KMS key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="DYNAMODB-002", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="DynamoDB tables encrypt at rest with a customer-managed KMS key (`serverSideEncryption` "
                "enabled with `kmsKeyArn`) instead of the AWS-owned key, so key use is logged and revocable.",
    remediation="Set server_side_encryption={'enabled': True, 'kms_key_arn': key.arn}.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html")


def check(props, _config):
    sse = props.get("serverSideEncryption") or {}
    if sse.get("enabled") is not True:
        yield "`serverSideEncryption.enabled` is not true; the table uses the AWS-owned key."
    elif not sse.get("kmsKeyArn"):
        yield "`serverSideEncryption.kmsKeyArn` is not set; the table uses the AWS-managed key."


POLICY = resource_policy(__name__, META, ["aws:dynamodb/table:Table"], check)

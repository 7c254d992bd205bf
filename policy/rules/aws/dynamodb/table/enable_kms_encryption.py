"""DynamoDB tables and their replicas encrypt with a customer-managed KMS key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

AWS_MANAGED = "alias/aws/dynamodb"
META = RuleMeta(
    id="DYNAMODB-002", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="DynamoDB tables encrypt at rest with a customer-managed KMS key (`serverSideEncryption` "
                "enabled with a `kmsKeyArn` that is not alias/aws/dynamodb), and so does every global-table "
                "replica (`replicas[].kmsKeyArn`, a key in the replica's region): a replica without one falls "
                "back to the AWS-managed key, so key use there is neither logged per key nor revocable.",
    remediation="Set server_side_encryption={'enabled': True, 'kms_key_arn': key.arn} and give each replica "
                "kms_key_arn=<multi-Region replica key in that region>.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html")


def check(props, _config):
    sse = props.get("serverSideEncryption") or {}
    if sse.get("enabled") is not True:
        yield "`serverSideEncryption.enabled` is not true; the table uses the AWS-owned key."
        return
    if not sse.get("kmsKeyArn") or sse.get("kmsKeyArn") == AWS_MANAGED:
        yield "`serverSideEncryption.kmsKeyArn` is not a customer-managed key; the table uses the AWS-managed key."
    for replica in props.get("replicas") or []:
        if not replica.get("kmsKeyArn") or replica.get("kmsKeyArn") == AWS_MANAGED:
            yield f"replica in {replica.get('regionName')!r} has no customer-managed `kmsKeyArn`."


POLICY = resource_policy(__name__, META, ["aws:dynamodb/table:Table"], check)

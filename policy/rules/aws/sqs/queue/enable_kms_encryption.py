"""SQS queues encrypt messages with a customer-managed key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="SQS-001", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="SQS queues encrypt messages with a customer-managed KMS key (`kmsMasterKeyId`), so access to "
                "queued events also needs kms:Decrypt on the stack's key.",
    remediation="Set kms_master_key_id to the stack's key ARN and kms_data_key_reuse_period_seconds=300 "
                "(components.PackagedFunction's DLQ does this).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html")


def check(props, _config):
    key = props.get("kmsMasterKeyId")
    if not key:
        yield "`kmsMasterKeyId` is not set (SQS-managed SSE at best); expected a customer-managed key."
    elif key == "alias/aws/sqs":
        yield "`kmsMasterKeyId` is the AWS-managed alias/aws/sqs; expected a customer-managed key."


POLICY = resource_policy(__name__, META, ["aws:sqs/queue:Queue"], check)

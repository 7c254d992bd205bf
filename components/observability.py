"""Log groups and dead-letter queues, shaped the same everywhere: KMS-encrypted, retained, under one prefix."""
from __future__ import annotations

import pulumi
import pulumi_aws as aws

DEAD_LETTER_RETENTION_SECONDS = 14 * 24 * 3600  # SQS maximum: time to notice and replay a failure


def log_group(name: str, path: str, retention_days: int, key_arn: pulumi.Input[str] | None,
              parent: pulumi.Resource, region: str | None = None) -> aws.cloudwatch.LogGroup:
    """`/engagement/<stack>/<path>`, so every log group of a stack sits under one prefix."""
    return aws.cloudwatch.LogGroup(
        name, name=f"/engagement/{pulumi.get_stack()}/{path}", retention_in_days=retention_days,
        kms_key_id=key_arn, region=region, opts=pulumi.ResourceOptions(parent=parent))


def dead_letter_queue(name: str, key_arn: pulumi.Input[str], parent: pulumi.Resource) -> aws.sqs.Queue:
    return aws.sqs.Queue(name, kms_master_key_id=key_arn, kms_data_key_reuse_period_seconds=300,
                         message_retention_seconds=DEAD_LETTER_RETENTION_SECONDS,
                         opts=pulumi.ResourceOptions(parent=parent))

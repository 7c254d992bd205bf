"""What every solution of a stack shares: the KMS key, the access-log bucket and the alarm topic."""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from . import iam
from .kms import EncryptionKey, EncryptionKeyArgs
from .secure_bucket import LifecycleRule, SecureBucket, SecureBucketArgs


@dataclass
class FoundationArgs:
    log_retention_days: int
    protect: bool
    alarm_email: str | None = None
    access_log_retention_days: int = 365


class Foundation(pulumi.ComponentResource):
    key: EncryptionKey
    access_logs: SecureBucket
    alarm_topic: aws.sns.Topic

    def __init__(self, name: str, args: FoundationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("engagement:shared:Foundation", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.solution_tag = "shared"
        self.key = EncryptionKey(f"{name}-data", EncryptionKeyArgs(
            alias=f"{pulumi.get_project()}-{pulumi.get_stack()}", protect=args.protect,
            deletion_window_days=30 if args.protect else 7), opts=child)
        self.access_logs = SecureBucket(f"{name}-access-logs", SecureBucketArgs(
            kms_key=None, access_log_bucket=None, receives_access_logs=True, protect=args.protect,
            force_destroy=not args.protect,
            lifecycle_rules=[LifecycleRule("expire-access-logs", "", expiration_days=args.access_log_retention_days,
                                           noncurrent_expiration_days=7)]), opts=child)
        self.alarm_topic = aws.sns.Topic(f"{name}-alarms", kms_master_key_id=self.key.arn, opts=child)
        aws.sns.TopicPolicy(f"{name}-alarms-policy", arn=self.alarm_topic.arn, policy=iam.document([{
            "Sid": "CloudWatchAlarmsOfOurAccount", "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"}, "Action": "sns:Publish",
            "Resource": self.alarm_topic.arn,
            "Condition": {"StringEquals": {"aws:SourceAccount": iam.account_id()}}}]), opts=child)
        if args.alarm_email:
            aws.sns.TopicSubscription(f"{name}-alarms-email", topic=self.alarm_topic.arn, protocol="email",
                                      endpoint=args.alarm_email, opts=child)
        self.register_outputs({"key_arn": self.key.arn, "access_log_bucket": self.access_logs.name,
                               "alarm_topic_arn": self.alarm_topic.arn})

"""A customer-managed KMS key with rotation, an alias and a key policy for the stack's services."""
from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

from . import iam


@dataclass
class EncryptionKeyArgs:
    alias: str
    """Alias without the `alias/` prefix, e.g. `engagement-dev`."""
    description: str = "Encrypts the engagement stack's data at rest"
    deletion_window_days: int = 30
    """Waiting period before a scheduled deletion takes effect (7-30). Defaults to the maximum, 30."""
    service_principals: list[str] = field(default_factory=lambda: ["sns.amazonaws.com", "sqs.amazonaws.com",
                                                                   "firehose.amazonaws.com",
                                                                   "events.amazonaws.com",
                                                                   "cloudwatch.amazonaws.com",
                                                                   "ses.amazonaws.com",
                                                                   "sms-voice.amazonaws.com"])
    """Services that publish into encrypted topics/queues/streams on our behalf (within our account only)."""
    protect: bool = False


class EncryptionKey(pulumi.ComponentResource):
    """KMS key (rotation on) + alias. Roles get key use through their own IAM policies, not the key policy."""

    key: aws.kms.Key
    arn: pulumi.Output[str]
    alias_name: pulumi.Output[str]

    def __init__(self, name: str, args: EncryptionKeyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("engagement:shared:EncryptionKey", name, None, opts)
        if not 7 <= args.deletion_window_days <= 30:
            raise ValueError("deletion_window_days must be between 7 and 30 (KMS limits)")
        account = iam.account_id()
        region = iam.region_name()
        self.key = aws.kms.Key(
            f"{name}-key", description=args.description, enable_key_rotation=True, rotation_period_in_days=365,
            deletion_window_in_days=args.deletion_window_days, policy=self._policy(account, region, args),
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect))
        alias = aws.kms.Alias(f"{name}-alias", name=f"alias/{args.alias}", target_key_id=self.key.key_id,
                              opts=pulumi.ResourceOptions(parent=self))
        self.arn = self.key.arn
        self.alias_name = alias.name
        self.register_outputs({"arn": self.arn, "alias_name": self.alias_name})

    @staticmethod
    def _policy(account: pulumi.Output[str], region: pulumi.Output[str], args: EncryptionKeyArgs):
        root = pulumi.Output.concat("arn:aws:iam::", account, ":root")
        use = ["kms:Decrypt", "kms:GenerateDataKey*", "kms:Encrypt", "kms:ReEncrypt*", "kms:DescribeKey"]
        return iam.document([
            # Without this statement IAM policies could not grant use of the key (AWS default key policy).
            {"Sid": "AccountAdministersKeyThroughIam", "Effect": "Allow", "Principal": {"AWS": root},
             "Action": "kms:*", "Resource": "*"},
            {"Sid": "CloudWatchLogsEncryptsOurLogGroups", "Effect": "Allow",
             "Principal": {"Service": pulumi.Output.concat("logs.", region, ".amazonaws.com")},
             "Action": use, "Resource": "*",
             "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": pulumi.Output.concat(
                 "arn:aws:logs:", region, ":", account, ":log-group:*")}}},
            {"Sid": "ServicesPublishIntoOurEncryptedResources", "Effect": "Allow",
             "Principal": {"Service": sorted(args.service_principals)}, "Action": use, "Resource": "*",
             "Condition": {"StringEquals": {"aws:SourceAccount": account}}},
        ])

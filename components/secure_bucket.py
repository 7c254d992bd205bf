"""A private, encrypted, TLS-only, versioned, logged S3 bucket with lifecycle rules from arguments."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from . import iam
from .kms import EncryptionKey


@dataclass(frozen=True)
class LifecycleRule:
    id: str
    prefix: str
    """Object key prefix the rule applies to ('' = whole bucket)."""
    expiration_days: int | None = None
    infrequent_access_days: int | None = None
    """Move current objects to STANDARD_IA after this many days (S3 requires >= 30)."""
    noncurrent_expiration_days: int = 30
    """Delete overwritten/deleted versions after this many days, so versioning does not grow cost forever."""


@dataclass
class SecureBucketArgs:
    kms_key: EncryptionKey | None
    """Key for SSE-KMS. None only for an access-log bucket: S3 server access logging cannot write to SSE-KMS."""
    access_log_bucket: aws.s3.Bucket | None
    """Where server access logs go. None only for the access-log bucket itself."""
    log_prefix: str = ""
    lifecycle_rules: Sequence[LifecycleRule] = ()
    extra_policy_statements: Sequence[dict[str, Any]] = ()
    """Allow statements for the bucket policy (e.g. CloudFront OAC); the TLS-only deny is always present."""
    protect: bool = False
    force_destroy: bool = False
    """Let `pulumi destroy` empty the bucket (dev only; prod buckets are protected instead)."""
    receives_access_logs: bool = False
    abort_incomplete_upload_days: int = 7
    tags: dict[str, str] = field(default_factory=dict)


class SecureBucket(pulumi.ComponentResource):
    """Bucket + ownership controls, public access block, encryption, versioning, logging, lifecycle, policy."""

    bucket: aws.s3.Bucket
    name: pulumi.Output[str]
    arn: pulumi.Output[str]

    def __init__(self, name: str, args: SecureBucketArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("engagement:shared:SecureBucket", name, None, opts)
        _validate(args)
        child = pulumi.ResourceOptions(parent=self)
        self.bucket = aws.s3.Bucket(name, force_destroy=args.force_destroy, tags=args.tags or None,
                                    opts=pulumi.ResourceOptions(parent=self, protect=args.protect))
        bucket_id = self.bucket.id
        # ACLs disabled: the bucket owner owns every object (S3's default since 2023, made explicit).
        ownership = aws.s3.BucketOwnershipControls(
            f"{name}-ownership", bucket=bucket_id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"), opts=child)
        public_block = aws.s3.BucketPublicAccessBlock(
            f"{name}-public-access", bucket=bucket_id, block_public_acls=True, block_public_policy=True,
            ignore_public_acls=True, restrict_public_buckets=True, opts=child)
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-encryption", bucket=bucket_id, rules=[_encryption_rule(args.kms_key)], opts=child)
        aws.s3.BucketVersioning(
            f"{name}-versioning", bucket=bucket_id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
            opts=child)
        if args.access_log_bucket is not None:
            aws.s3.BucketLogging(f"{name}-logging", bucket=bucket_id, target_bucket=args.access_log_bucket.id,
                                 target_prefix=args.log_prefix or f"s3/{name}/", opts=child)
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-lifecycle", bucket=bucket_id, rules=_lifecycle_rules(args), opts=child)
        aws.s3.BucketPolicy(
            f"{name}-policy", bucket=bucket_id, policy=_bucket_policy(self.bucket, args),
            # A policy put before the public access block exists can be rejected as public by S3.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[public_block, ownership]))
        self.name = bucket_id
        self.arn = self.bucket.arn
        self.register_outputs({"name": self.name, "arn": self.arn})


def _validate(args: SecureBucketArgs) -> None:
    if args.kms_key is None and not args.receives_access_logs:
        raise ValueError("kms_key is required; only an access-log bucket may use SSE-S3")
    if args.access_log_bucket is None and not args.receives_access_logs:
        raise ValueError("access_log_bucket is required; only the access-log bucket itself may omit it")
    ids = [rule.id for rule in args.lifecycle_rules]
    if len(ids) != len(set(ids)):
        raise ValueError(f"lifecycle rule ids must be unique, got {ids}")
    for rule in args.lifecycle_rules:
        if rule.infrequent_access_days is not None and rule.infrequent_access_days < 30:
            raise ValueError(f"lifecycle rule {rule.id}: S3 requires >= 30 days before STANDARD_IA")
        if rule.expiration_days is not None and rule.expiration_days < 1:
            raise ValueError(f"lifecycle rule {rule.id}: expiration_days must be >= 1")


def _encryption_rule(kms_key: EncryptionKey | None):
    if kms_key is None:
        default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="AES256")
        return aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(apply_server_side_encryption_by_default=default)
    default = aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
        sse_algorithm="aws:kms", kms_master_key_id=kms_key.arn)
    # Bucket keys cut KMS requests (and their cost) by orders of magnitude for high-volume writers like Firehose.
    return aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(apply_server_side_encryption_by_default=default,
                                                                  bucket_key_enabled=True)


def _lifecycle_rules(args: SecureBucketArgs) -> list[aws.s3.BucketLifecycleConfigurationRuleArgs]:
    rules = [aws.s3.BucketLifecycleConfigurationRuleArgs(
        id="abort-incomplete-uploads", status="Enabled",
        filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
        abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
            days_after_initiation=args.abort_incomplete_upload_days))]
    for rule in args.lifecycle_rules:
        rules.append(aws.s3.BucketLifecycleConfigurationRuleArgs(
            id=rule.id, status="Enabled", filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=rule.prefix),
            expiration=(aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=rule.expiration_days)
                        if rule.expiration_days else None),
            transitions=([aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(
                days=rule.infrequent_access_days, storage_class="STANDARD_IA")]
                if rule.infrequent_access_days else None),
            noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                noncurrent_days=rule.noncurrent_expiration_days)))
    return rules


def _bucket_policy(bucket: aws.s3.Bucket, args: SecureBucketArgs) -> pulumi.Output[str]:
    objects = pulumi.Output.concat(bucket.arn, "/*")
    statements: list[dict[str, Any]] = [{
        "Sid": "DenyRequestsWithoutTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": [bucket.arn, objects], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]
    if args.receives_access_logs:
        statements.append({
            "Sid": "S3ServerAccessLogsFromOurAccount", "Effect": "Allow",
            "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject", "Resource": objects,
            "Condition": {"StringEquals": {"aws:SourceAccount": iam.account_id()}}})
    statements.extend(args.extra_policy_statements)
    return iam.document(statements)

"""S3 buckets encrypt new objects by default with a customer-managed KMS key."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, PolicyResource, Severity

from rules import _iam
from rules._framework import Pillar, RuleMeta, StackView, get_path, resource_stack_policy

BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
LOGGING = "aws:s3/bucketLogging:BucketLogging"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
META = RuleMeta(
    id="S3-001", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="S3 buckets encrypt new objects by default with a customer-managed KMS key. A bucket that "
                "receives S3 server access logs uses SSE-S3, the only encryption S3 log delivery supports.",
    remediation="Add an `aws.s3.BucketServerSideEncryptionConfiguration` for the bucket with sse_algorithm "
                "`aws:kms` and the stack's KMS key as kms_master_key_id (components.SecureBucket does this).",
    default_level=EnforcementLevel.MANDATORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html")


def receives_access_logs(view: StackView, bucket: PolicyResource) -> bool:
    if view.attached(bucket, LOGGING, "targetBucket"):
        return True
    for policy in view.attached(bucket, BUCKET_POLICY, "bucket"):
        for statement in _iam.parse(policy.props.get("policy")):
            if statement.allow and "logging.s3.amazonaws.com" in statement.principal_values("Service"):
                return True
    return False


def check(bucket, view: StackView, _config: Mapping[str, Any]) -> Iterable[str]:
    rules = [rule for sse in view.attached(bucket, SSE, "bucket") for rule in (sse.props.get("rules") or [])]
    if not rules:
        yield f"bucket {bucket.name} has no server-side encryption configuration."
        return
    for rule in rules:
        algorithm = get_path(rule, "applyServerSideEncryptionByDefault.sseAlgorithm")
        key = get_path(rule, "applyServerSideEncryptionByDefault.kmsMasterKeyId")
        if algorithm == "AES256" and receives_access_logs(view, bucket):
            continue
        if algorithm not in ("aws:kms", "aws:kms:dsse") or not key:
            yield (f"bucket {bucket.name} encrypts with {algorithm!r}"
                   f"{'' if key else ' without a customer-managed key'}; expected aws:kms with a CMK.")


POLICY = resource_stack_policy(__name__, META, [BUCKET], check)

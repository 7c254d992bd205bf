"""SSE-KMS buckets use S3 Bucket Keys."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, StackView, get_path, resource_stack_policy

BUCKET = "aws:s3/bucket:Bucket"
SSE = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
META = RuleMeta(
    id="S3-007", pillar=Pillar.COST_OPTIMIZATION, severity=Severity.LOW,
    description="Buckets encrypted with SSE-KMS enable S3 Bucket Keys. Without a bucket key every object "
                "operation is a billed KMS request, which dominates cost for high-volume writers like Firehose.",
    remediation="Set `bucket_key_enabled=True` on the encryption rule that uses aws:kms.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="COST07-BP05",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html")


def check(bucket, view: StackView, _config: Mapping[str, Any]) -> Iterable[str]:
    for sse in view.attached(bucket, SSE, "bucket"):
        for rule in sse.props.get("rules") or []:
            algorithm = get_path(rule, "applyServerSideEncryptionByDefault.sseAlgorithm")
            # DSSE-KMS does not support bucket keys, so only plain aws:kms is in scope.
            if algorithm == "aws:kms" and rule.get("bucketKeyEnabled") is not True:
                yield f"bucket {bucket.name} uses aws:kms without a bucket key."


POLICY = resource_stack_policy(__name__, META, [BUCKET], check)

"""S3 buckets have a lifecycle that aborts incomplete multipart uploads."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, StackView, get_path, resource_stack_policy

BUCKET = "aws:s3/bucket:Bucket"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
META = RuleMeta(
    id="S3-006", pillar=Pillar.COST_OPTIMIZATION, severity=Severity.LOW,
    description="S3 buckets have an enabled lifecycle rule that aborts incomplete multipart uploads. Parts of "
                "abandoned uploads are invisible in listings but are billed until they are aborted.",
    remediation="Add an `aws.s3.BucketLifecycleConfiguration` rule with status `Enabled` and "
                "abort_incomplete_multipart_upload days_after_initiation (e.g. 7); SecureBucket always adds one.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="COST04-BP05",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpu-abort-incomplete-mpu-lifecycle-config.html")


def check(bucket, view: StackView, _config: Mapping[str, Any]) -> Iterable[str]:
    rules = [r for lc in view.attached(bucket, LIFECYCLE, "bucket") for r in (lc.props.get("rules") or [])]
    aborts = [r for r in rules if r.get("status") == "Enabled"
              and get_path(r, "abortIncompleteMultipartUpload.daysAfterInitiation")]
    if not rules:
        yield f"bucket {bucket.name} has no lifecycle configuration."
    elif not aborts:
        yield f"bucket {bucket.name} has no enabled lifecycle rule aborting incomplete multipart uploads."


POLICY = resource_stack_policy(__name__, META, [BUCKET], check)

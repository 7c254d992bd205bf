"""Versioned S3 buckets expire noncurrent versions."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, StackView, get_path, resource_stack_policy

BUCKET = "aws:s3/bucket:Bucket"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
META = RuleMeta(
    id="S3-008", pillar=Pillar.SUSTAINABILITY, severity=Severity.LOW,
    description="Versioned S3 buckets have an enabled lifecycle rule that expires noncurrent versions. Otherwise "
                "every overwrite keeps a copy forever, storing data nobody will read.",
    remediation="Add noncurrent_version_expiration (noncurrent_days) to an enabled lifecycle rule of the bucket; "
                "SecureBucket's LifecycleRule.noncurrent_expiration_days does this.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SUS04-BP03",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html")


def check(bucket, view: StackView, _config: Mapping[str, Any]) -> Iterable[str]:
    versioned = any(get_path(v.props, "versioningConfiguration.status") == "Enabled"
                    for v in view.attached(bucket, VERSIONING, "bucket"))
    if not versioned:
        return
    rules = [r for lc in view.attached(bucket, LIFECYCLE, "bucket") for r in (lc.props.get("rules") or [])]
    if not any(r.get("status") == "Enabled" and get_path(r, "noncurrentVersionExpiration.noncurrentDays")
               for r in rules):
        yield f"versioned bucket {bucket.name} never expires noncurrent versions."


POLICY = resource_stack_policy(__name__, META, [BUCKET], check)

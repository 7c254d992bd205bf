"""S3 buckets disable ACLs (object ownership BucketOwnerEnforced)."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, StackView, get_path, resource_stack_policy

BUCKET = "aws:s3/bucket:Bucket"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
META = RuleMeta(
    id="S3-009", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="S3 buckets disable ACLs with object ownership `BucketOwnerEnforced`, so access is decided by "
                "policies alone and every object belongs to the bucket owner.",
    remediation="Add an `aws.s3.BucketOwnershipControls` with rule object_ownership `BucketOwnerEnforced`.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP02",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html")


def check(bucket, view: StackView, _config: Mapping[str, Any]) -> Iterable[str]:
    modes = [get_path(o.props, "rule.objectOwnership") for o in view.attached(bucket, OWNERSHIP, "bucket")]
    if "BucketOwnerEnforced" not in modes:
        yield f"bucket {bucket.name} does not enforce bucket-owner object ownership (found {modes or 'none'})."


POLICY = resource_stack_policy(__name__, META, [BUCKET], check)

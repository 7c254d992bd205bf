"""S3 buckets block every form of public access and use no public ACL."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, StackView, resource_stack_policy

BUCKET = "aws:s3/bucket:Bucket"
PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
ACL = "aws:s3/bucketAcl:BucketAcl"
FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
PUBLIC_ACLS = {"public-read", "public-read-write", "authenticated-read"}
META = RuleMeta(
    id="S3-002", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="S3 buckets block every form of public access and use no public ACL.",
    remediation="Add an `aws.s3.BucketPublicAccessBlock` with all four settings true and remove public ACLs "
                "(components.SecureBucket does this); serve public content through CloudFront with OAC.",
    default_level=EnforcementLevel.MANDATORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html")


def check(bucket, view: StackView, _config: Mapping[str, Any]) -> Iterable[str]:
    blocks = view.attached(bucket, PAB, "bucket")
    if not blocks:
        yield f"bucket {bucket.name} has no public access block."
    for block in blocks:
        off = [flag for flag in FLAGS if block.props.get(flag) is not True]
        if off:
            yield f"bucket {bucket.name} public access block leaves {', '.join(off)} off."
    acls = [bucket.props.get("acl")] + [a.props.get("acl") for a in view.attached(bucket, ACL, "bucket")]
    for acl in acls:
        if acl in PUBLIC_ACLS:
            yield f"bucket {bucket.name} has the public ACL {acl!r}."


POLICY = resource_stack_policy(__name__, META, [BUCKET], check)

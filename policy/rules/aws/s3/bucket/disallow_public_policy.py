"""S3 bucket policies allow nothing to everyone."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, check_policy_not_public, resource_policy

META = RuleMeta(
    id="S3-010", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="S3 bucket policies (`aws.s3.BucketPolicy` or the bucket's `policy`) have no Allow statement for "
                "everyone without a condition pinning the caller's account, organisation or source (e.g. the "
                "CloudFront distribution's aws:SourceArn). An Allow of s3:GetObject to `*` conditioned only on "
                "aws:SecureTransport is public; so is one whose aws:SourceArn is `arn:aws:s3:::*` or uses IfExists. "
                "The public access block catches some of this at deploy time, not in review.",
    remediation="Grant to the reading service or role by name (cloudfront.amazonaws.com with aws:SourceArn = the "
                "distribution ARN for origin access control) instead of principal '*'.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status")

POLICY = resource_policy(__name__, META, ["aws:s3/bucket:Bucket", "aws:s3/bucketPolicy:BucketPolicy"],
                         check_policy_not_public)

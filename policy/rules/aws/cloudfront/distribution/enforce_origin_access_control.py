"""CloudFront reaches S3 origins through origin access control."""
import re

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

# S3 REST endpoints; website endpoints (s3-website) cannot use OAC and must not hold private data anyway.
S3_ORIGIN = re.compile(r"\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com$")
META = RuleMeta(
    id="CLOUDFRONT-003", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="CloudFront S3 origins use an origin access control (`originAccessControlId`) instead of a "
                "legacy origin access identity or a public bucket, so the bucket stays private and SSE-KMS "
                "objects can be served.",
    remediation="Create an aws.cloudfront.OriginAccessControl (s3, sigv4, always), set origin_access_control_id "
                "on the origin, and allow cloudfront.amazonaws.com with AWS:SourceArn in the bucket policy.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-restricting-access-to-s3.html")


def check(props, _config):
    for origin in props.get("origins") or []:
        if not S3_ORIGIN.search(str(origin.get("domainName") or "")):
            continue
        if not origin.get("originAccessControlId"):
            yield f"S3 origin {origin.get('originId')!r} has no origin access control."
        elif get_path(origin, "s3OriginConfig.originAccessIdentity"):
            yield f"S3 origin {origin.get('originId')!r} still sets a legacy origin access identity."


POLICY = resource_policy(__name__, META, ["aws:cloudfront/distribution:Distribution"], check)

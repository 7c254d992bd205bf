"""S3 buckets deny every request that does not use TLS (aws:SecureTransport false)."""
import fnmatch

from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules import _iam_catalogue as catalogue
from rules._framework import Pillar, RuleMeta, resource_stack_policy

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
META = RuleMeta(
    id="S3-003", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="S3 buckets deny every request that does not use TLS: a Deny for every principal of every s3 "
                "action on the bucket and its objects when `aws:SecureTransport` is false. A Deny of only some "
                "actions, of the bucket but not its objects, with another principal, or with the condition "
                "inverted leaves plain HTTP open.",
    remediation="Attach a bucket policy with a Deny of s3:* on the bucket and its objects when "
                "`aws:SecureTransport` is false (components.SecureBucket does this).",
    default_level=EnforcementLevel.MANDATORY, wa_reference="SEC09-BP02",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html")


def _covers(patterns: tuple[str, ...], arn: str) -> bool:
    return any(fnmatch.fnmatchcase(arn.lower(), p.lower()) for p in patterns)


def denies_plain_http(statement: _iam.Statement, bucket_arn: str) -> bool:
    plain_http = any(c.key == "aws:securetransport" and c.operator == "bool" and c.values == ("false",)
                     and not c.qualifier for c in statement.conditions)
    everyone = "*" in statement.principal_values() and not statement.not_principal
    return (statement.effect == "Deny" and plain_http and everyone and len(statement.conditions) == 1
            and catalogue.service_actions("s3") <= statement.actions and not statement.not_resource
            and _covers(statement.resources, bucket_arn) and _covers(statement.resources, f"{bucket_arn}/object"))


def check(bucket, view, _config):
    name = view.identity(bucket, "bucket", "id")
    documents = [p.props.get("policy") for p in view.attached(bucket, BUCKET_POLICY, "bucket")]
    documents.append(bucket.props.get("policy"))
    if not any(denies_plain_http(s, f"arn:aws:s3:::{name}") for s in _iam.parse_all(d for d in documents if d)):
        yield f"bucket {bucket.name} has no policy denying every request without TLS on the bucket and its objects."


POLICY = resource_stack_policy(__name__, META, [BUCKET], check)

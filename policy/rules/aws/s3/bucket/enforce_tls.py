"""S3 buckets deny every request that does not use TLS (aws:SecureTransport false)."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, PolicyResource, Severity

from rules._framework import Pillar, RuleMeta, StackView, policy_statements, stack_policy

BUCKET = "aws:s3/bucket:Bucket"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
META = RuleMeta(
    id="S3-003", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="S3 buckets deny every request that does not use TLS (aws:SecureTransport false).",
    remediation="Attach a bucket policy with a Deny of s3:* on the bucket and its objects when "
                "`aws:SecureTransport` is false (components.SecureBucket does this).",
    default_level=EnforcementLevel.MANDATORY, wa_reference="SEC09-BP02",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html")


def denies_plain_http(document: Any) -> bool:
    for statement in policy_statements(document):
        condition = statement.get("Condition") or {}
        secure = (condition.get("Bool") or {}).get("aws:SecureTransport")
        actions = statement.get("Action") or []
        if statement.get("Effect") == "Deny" and str(secure).lower() == "false" and (
                "s3:*" in actions or "*" in actions):
            return True
    return False


def check(view: StackView, _config: Mapping[str, Any]) -> Iterable[tuple[PolicyResource, str]]:
    for bucket in view.of_type(BUCKET):
        documents = [p.props.get("policy") for p in view.attached(bucket, BUCKET_POLICY, "bucket")]
        documents.append(bucket.props.get("policy"))
        if not any(denies_plain_http(d) for d in documents if d):
            yield bucket, f"bucket {bucket.name} has no policy denying requests without TLS."


POLICY = stack_policy(__name__, META, check)

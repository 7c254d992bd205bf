"""S3 buckets write server access logs to the stack's access-log bucket."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, StackView, resource_stack_policy
from rules.aws.s3.bucket.enable_kms_encryption import receives_access_logs

BUCKET = "aws:s3/bucket:Bucket"
LOGGING = "aws:s3/bucketLogging:BucketLogging"
META = RuleMeta(
    id="S3-005", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.MEDIUM,
    description="S3 buckets write server access logs to a log bucket. The bucket that receives the access logs "
                "is not required to log into itself, because that would loop.",
    remediation="Add an `aws.s3.BucketLogging` with the stack's access-log bucket as target_bucket and a "
                "per-bucket target_prefix (components.SecureBucket does this when given access_log_bucket).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC04-BP01",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html")


def check(bucket, view: StackView, _config: Mapping[str, Any]) -> Iterable[str]:
    if receives_access_logs(view, bucket):
        return
    if not view.attached(bucket, LOGGING, "bucket"):
        yield f"bucket {bucket.name} has no server access logging."


POLICY = resource_stack_policy(__name__, META, [BUCKET], check)

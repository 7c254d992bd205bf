"""S3 buckets keep object versions, so an overwrite or delete can be undone."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, StackView, get_path, resource_stack_policy

BUCKET = "aws:s3/bucket:Bucket"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
META = RuleMeta(
    id="S3-004", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="S3 buckets have versioning enabled, so an accidental overwrite or delete can be undone.",
    remediation="Add an `aws.s3.BucketVersioning` with versioning_configuration status `Enabled` for the bucket "
                "(components.SecureBucket does this) and expire noncurrent versions with a lifecycle rule.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL09-BP02",
    url="https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html")


def check(bucket, view: StackView, _config: Mapping[str, Any]) -> Iterable[str]:
    # v7 moved versioning into its own resource; the Bucket's inline `versioning` input is gone.
    states = [get_path(v.props, "versioningConfiguration.status")
              for v in view.attached(bucket, VERSIONING, "bucket")]
    if "Enabled" not in states:
        yield f"bucket {bucket.name} has no versioning with status Enabled (found {states or 'none'})."


POLICY = resource_stack_policy(__name__, META, [BUCKET], check)

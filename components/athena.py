"""Athena workgroups: one per solution that runs queries, every one with the same secure defaults.

Defaults, enforced on every client (so none can write results elsewhere, unencrypted, or lift the limit):
results, UNLOAD manifests and UNLOAD output encrypted with SSE_KMS under the owner's key; results under
`athena-results/` of the owner's bucket, which expires them through `results_lifecycle_rule`; a per-query
bytes-scanned cutoff; CloudWatch metrics; Athena engine version 3. Athena encrypts a query's UNLOAD files with the
workgroup's key, wherever they go: a solution that queries another solution's (or stack's) data runs the query in
its own workgroup, so what it unloads into its own bucket is under its own key and readable by its own roles.

    workgroup = athena.create_workgroup("segmentation", athena.WorkgroupArgs(
        role="segmentation", description="Feature queries", bucket_name=bucket.name, key=foundation.key,
        cutoff_mb=10240, force_destroy=True), parent=self)
    statements = athena.query_statements(workgroup.name, bucket.arn)
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from . import iam
from .kms import EncryptionKey
from .secure_bucket import LifecycleRule

RESULTS_PREFIX = "athena-results/"
ENGINE_VERSION = "Athena engine version 3"
RESULTS_RETENTION_DAYS = 7
"""Days a pipeline's query results (metadata and manifests; the data it unloads lives elsewhere) are kept."""


@dataclass(frozen=True)
class WorkgroupArgs:
    role: str
    """What the workgroup is for; its name is `<project>-<stack>-<role>` (workgroup names are per account)."""
    description: str
    bucket_name: pulumi.Input[str]
    """The owner's bucket; results go under RESULTS_PREFIX (give the bucket `results_lifecycle_rule`)."""
    key: EncryptionKey
    cutoff_mb: int
    """Per-query bytes-scanned limit, in MB."""
    force_destroy: bool = False
    """Let `pulumi destroy` delete the workgroup with its query history (unprotected stacks only)."""


def results_lifecycle_rule(retention_days: int = RESULTS_RETENTION_DAYS) -> LifecycleRule:
    """The owner bucket's rule that expires query results (and their old versions a day after)."""
    return LifecycleRule("expire-athena-results", RESULTS_PREFIX, expiration_days=retention_days,
                         noncurrent_expiration_days=1)


def create_workgroup(name: str, args: WorkgroupArgs, parent: pulumi.Resource) -> aws.athena.Workgroup:
    if args.cutoff_mb < 10:
        raise ValueError("cutoff_mb must be >= 10 (Athena's smallest bytes-scanned cutoff)")
    return aws.athena.Workgroup(
        f"{name}-workgroup", name=f"{pulumi.get_project()}-{pulumi.get_stack()}-{args.role}",
        description=args.description, force_destroy=args.force_destroy,
        configuration=aws.athena.WorkgroupConfigurationArgs(
            enforce_workgroup_configuration=True, publish_cloudwatch_metrics_enabled=True,
            bytes_scanned_cutoff_per_query=args.cutoff_mb * 1024 * 1024,
            engine_version=aws.athena.WorkgroupConfigurationEngineVersionArgs(selected_engine_version=ENGINE_VERSION),
            result_configuration=aws.athena.WorkgroupConfigurationResultConfigurationArgs(
                output_location=pulumi.Output.concat("s3://", args.bucket_name, "/", RESULTS_PREFIX),
                encryption_configuration=aws.athena.WorkgroupConfigurationResultConfigurationEncryptionConfigurationArgs(
                    encryption_option="SSE_KMS", kms_key_arn=args.key.arn))),
        opts=pulumi.ResourceOptions(parent=parent))


def query_statements(workgroup_name: pulumi.Input[str], bucket_arn: pulumi.Input[str]) -> list[iam.Statement]:
    """What a caller needs to run queries in a workgroup made here: the workgroup, and its results prefix (Athena
    writes results with the caller's credentials). The owner's key is granted with the caller's own role."""
    return [
        iam.allow(["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:StopQueryExecution"],
                  [pulumi.Output.concat("arn:aws:athena:", iam.region_name(), ":", iam.account_id(), ":workgroup/",
                                        workgroup_name)], sid="OwnWorkgroup"),
        iam.allow(["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
                  [pulumi.Output.concat(bucket_arn, f"/{RESULTS_PREFIX}*")], sid="QueryResults"),
    ]

"""Least-privilege IAM for the pipeline: each Lambda, the state machine, and the two SageMaker roles get the
actions they call on the stack's own ARNs (bucket prefixes, the workgroup, the tables, the job name prefixes)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from contracts import churn_profiles, churn_scores

from .. import athena, iam
from ..events_database.reference import EventsDatabaseReference
from ..naming import stack_digest
from . import images

# what follows the stack's prefix in a job's name (functions/predictive_segmentation_prepare names the jobs)
JOB_KINDS = {"training-job": "train-", "transform-job": "score-"}


def model_prefix() -> str:
    """SageMaker names of this stack start `churn-<stack id>-`: Models `churn-<id>-<version>`, training and
    transform jobs `churn-<id>-train-...` / `churn-<id>-score-...`. The id is 10 hex digits of project/stack,
    fixed length, so no other stack's prefix is a prefix of this one (as `churn-dev-` would be of
    `churn-dev-eu-...`) and neither the retention nor the ARN patterns below can reach another stack's Models
    or jobs (describe, stop) in a shared account and region."""
    return f"churn-{stack_digest(pulumi.get_project(), pulumi.get_stack(), 10)}-"


@dataclass(frozen=True)
class Arns:
    bucket: pulumi.Output[str]
    """The solution bucket's name."""
    key: pulumi.Output[str]
    events: EventsDatabaseReference
    attributes_location: str
    database: pulumi.Output[str]
    workgroup: pulumi.Output[str]


def objects(bucket: pulumi.Output[str], *prefixes: str) -> list[pulumi.Output[str]]:
    """Object ARNs under prefixes of a bucket (given by name)."""
    return [pulumi.Output.concat("arn:aws:s3:::", bucket, "/", prefix, "*") for prefix in prefixes]


def _s3_location(location: str) -> tuple[str, str]:
    bucket, _, prefix = location.removeprefix("s3://").partition("/")
    return f"arn:aws:s3:::{bucket}", prefix


def sagemaker_arn(kind: str) -> pulumi.Output[str]:
    prefix = model_prefix() + ("" if kind == "model" else JOB_KINDS[kind])
    return pulumi.Output.concat("arn:aws:sagemaker:", iam.region_name(), ":", iam.account_id(), ":", kind, "/",
                                prefix, "*")


def container_statements(image: str) -> list[iam.Statement]:
    """Pull the AWS-owned framework image, and write the job's logs and metrics (SageMaker's documented set)."""
    region = image.split(".")[3]
    return [
        iam.allow(["ecr:GetAuthorizationToken"], ["*"], sid="EcrLoginHasNoResourceArn"),
        iam.allow(["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
                  [f"arn:aws:ecr:{region}:{images.registry_account(image)}:repository/sagemaker-xgboost"],
                  sid="PullTheFrameworkImage"),
        iam.allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                  [pulumi.Output.concat("arn:aws:logs:", iam.region_name(), ":", iam.account_id(),
                                        ":log-group:/aws/sagemaker/*")], sid="JobLogs"),
        iam.allow(["cloudwatch:PutMetricData"], ["*"], sid="JobMetricsHaveNoResourceArn",
                  condition={"StringLike": {"cloudwatch:namespace": "/aws/sagemaker/*"}}),
    ]


def model_role(name: str, arns: Arns, image: str, parent: pulumi.Resource):
    """The role batch transform runs with: reads the model and the run's features, writes the run's scores."""
    return iam.service_role(f"{name}-model-role", f"{name}-model-policy", "sagemaker.amazonaws.com", [
        iam.allow(["s3:GetObject"], objects(arns.bucket, churn_scores.REGISTRY_PREFIX, churn_scores.RUNS_PREFIX),
                  sid="ModelAndFeatures"),
        iam.allow(["s3:PutObject", "s3:AbortMultipartUpload"], objects(arns.bucket, churn_scores.RUNS_PREFIX),
                  sid="TransformOutput"),
        iam.allow(["s3:ListBucket"], [pulumi.Output.concat("arn:aws:s3:::", arns.bucket)], sid="ListRunFiles"),
        iam.allow(["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant"], [arns.key], sid="StackKey"),
        *container_statements(image)], parent, description="Runs churn batch transform jobs")


def training_role(name: str, arns: Arns, image: str, parent: pulumi.Resource):
    return iam.service_role(f"{name}-training-role", f"{name}-training-policy", "sagemaker.amazonaws.com", [
        iam.allow(["s3:GetObject"], objects(arns.bucket, churn_scores.RUNS_PREFIX, "code/"), sid="FeaturesAndCode"),
        iam.allow(["s3:PutObject", "s3:AbortMultipartUpload"], objects(arns.bucket, churn_scores.CANDIDATES_PREFIX),
                  sid="ModelArtifacts"),
        iam.allow(["s3:ListBucket"], [pulumi.Output.concat("arn:aws:s3:::", arns.bucket)], sid="ListChannels"),
        iam.allow(["kms:Decrypt", "kms:GenerateDataKey", "kms:CreateGrant"], [arns.key], sid="StackKey"),
        *container_statements(image)], parent, description="Runs churn training jobs")


def athena_statements(arns: Arns) -> list[iam.Statement]:
    """What an Athena feature query (UNLOAD) needs from the caller: the solution's workgroup, the events database,
    the attributes and the solution's own catalog, and the run folder it unloads into."""
    glue = "arn:aws:glue:"
    region, account = iam.region_name(), iam.account_id()
    attributes_bucket, attributes_prefix = _s3_location(arns.attributes_location)
    bucket_arn = pulumi.Output.concat("arn:aws:s3:::", arns.bucket)
    return [
        *athena.query_statements(arns.workgroup, bucket_arn),
        *arns.events.read_statements(),
        iam.allow(["glue:GetDatabase", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions"], [
            pulumi.Output.concat(glue, region, ":", account, ":catalog"),
            pulumi.Output.concat(glue, region, ":", account, ":database/", arns.database),
            pulumi.Output.concat(glue, region, ":", account, ":table/", arns.database, "/*")], sid="ReadOwnCatalog"),
        iam.allow(["s3:GetObject"], [f"{attributes_bucket}/{attributes_prefix}*"], sid="ReadAttributes"),
        iam.allow(["s3:ListBucket", "s3:GetBucketLocation"], [attributes_bucket, bucket_arn], sid="ListQueriedBuckets"),
        iam.allow(["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
                  objects(arns.bucket, churn_scores.RUNS_PREFIX), sid="UnloadIntoRuns"),
    ]


def state_machine_statements(arns: Arns, functions: Sequence[pulumi.Output[str]],
                             roles: Sequence[pulumi.Output[str]]) -> list[iam.Statement]:
    return [
        iam.allow(["lambda:InvokeFunction"], list(functions), sid="PipelineFunctions"),
        *athena_statements(arns),
        iam.allow(["sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob", "sagemaker:StopTrainingJob"],
                  [sagemaker_arn("training-job")], sid="TrainingJobs"),
        iam.allow(["sagemaker:CreateTransformJob", "sagemaker:DescribeTransformJob", "sagemaker:StopTransformJob"],
                  [sagemaker_arn("transform-job")], sid="TransformJobs"),
        iam.allow(["sagemaker:CreateModel"], [sagemaker_arn("model")], sid="ModelPerPromotedVersion"),
        iam.allow(["iam:PassRole"], list(roles), sid="PassTheJobRoles",
                  condition={"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}),
    ]


def prepare_statements(arns: Arns) -> list[iam.Statement]:
    return [
        iam.allow(["s3:GetObject"], objects(arns.bucket, "pipeline/", "models/current/"), sid="SqlAndCurrentModel"),
        iam.allow(["s3:DeleteObject"], objects(arns.bucket, churn_scores.RUNS_PREFIX), sid="EmptyTheRunsScratch"),
        iam.allow(["s3:ListBucket"], [pulumi.Output.concat("arn:aws:s3:::", arns.bucket), arns.events.bucket_arn()],
                  sid="ListRunsAndEventDays"),
        iam.allow(["kms:Decrypt"], [arns.key], sid="StackKey"),
    ]


def promote_statements(arns: Arns) -> list[iam.Statement]:
    return [
        iam.allow(["s3:GetObject"], objects(arns.bucket, churn_scores.CANDIDATES_PREFIX, churn_scores.REGISTRY_PREFIX),
                  sid="ReadCandidates"),
        iam.allow(["s3:PutObject"], objects(arns.bucket, churn_scores.REGISTRY_PREFIX, "models/current/"),
                  sid="WriteRegistryAndPointer"),
        iam.allow(["kms:Decrypt", "kms:GenerateDataKey"], [arns.key], sid="StackKey"),
        # Retention of the promoted versions' Models: list (no resource-level permission), delete only this stack's.
        iam.allow(["sagemaker:ListModels"], ["*"], sid="ListModelsHasNoResourceArn"),
        iam.allow(["sagemaker:DeleteModel"], [sagemaker_arn("model")], sid="DeleteOldModelsOfThisStack"),
    ]


def postprocess_statements(arns: Arns, stream_arn: pulumi.Input[str] | None,
                           profiles_domain_arn: pulumi.Input[str] | None) -> list[iam.Statement]:
    statements = [
        iam.allow(["s3:GetObject"], objects(arns.bucket, churn_scores.RUNS_PREFIX, "models/current/", "scores/",
                                            "audience/"), sid="ReadRunAndScores"),
        iam.allow(["s3:PutObject"], objects(arns.bucket, "scores/", "audience/"), sid="WriteScores"),
        iam.allow(["s3:ListBucket"], [pulumi.Output.concat("arn:aws:s3:::", arns.bucket)], sid="ListRunFiles"),
        iam.allow(["kms:Decrypt", "kms:GenerateDataKey"], [arns.key], sid="StackKey"),
    ]
    if stream_arn is not None:
        statements.append(iam.allow(["firehose:PutRecord"], [stream_arn], sid="SummaryEvent"))
    if profiles_domain_arn is not None:
        # Only objects into the declared ChurnScore type: the type and the segment belong to the stack.
        statements.append(iam.allow(
            ["profile:BatchPutProfileObject", "profile:PutProfileObject"],
            [profiles_domain_arn,
             pulumi.Output.concat(profiles_domain_arn, "/object-types/", churn_profiles.OBJECT_TYPE)],
            sid="CustomerProfiles"))
    return statements

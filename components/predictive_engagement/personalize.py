"""Amazon Personalize resources (pulumi-aws-native: pulumi-aws has no Personalize), minus the Solution.

Created here: the dataset group (encrypted with the stack key through a role Personalize assumes), the
interactions schema and dataset, the event tracker (real time) and the exclude filter (already-interacted items
and, with the category filter, the item categories each user opted out of). NOT created here: the
Solution. aws-native's `Solution` (1.84.0) has no `performAutoTraining` input, and Personalize's default is to
train a new solution version every 7 days, a training bill nobody configured. The workflow creates the solution
itself with `performAutoTraining=False` and trains on the configured cadence (functions/
predictive_engagement_personalize/jobs.py); the policy pack flags any aws-native Solution for the same reason.

Personalize resources replace on any change of their create-only properties, tags included, which would drop
the datasets: tags are set once and then ignored.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import pulumi
import pulumi_aws_native as aws_native

from contracts import category_consent as consent
from contracts import personalize as contract

from .. import iam
from ..kms import EncryptionKey
from ..naming import fitted_name
from .settings import PredictiveEngagementSettings


@dataclass
class PersonalizeResources:
    dataset_group: aws_native.personalize.DatasetGroup
    interactions: aws_native.personalize.Dataset
    role: pulumi.Resource
    event_tracker: aws_native.personalize.EventTracker | None
    exclude_filter: aws_native.personalize.Filter | None
    campaign: aws_native.personalize.Campaign | None
    provider: aws_native.Provider
    metadata: dict[str, aws_native.personalize.Dataset]
    """Optional metadata datasets by kind (`items`, `users`)."""


# Personalize names match [a-zA-Z0-9][a-zA-Z0-9-_]*. The stack's resources (dataset group, schemas, datasets,
# filters) start with up to 40 characters of project-stack. The workflow's jobs are `<prefix>-import-items-<run id>`
# (30 characters plus the prefix, at most 63), so their prefix holds at most 31, as the workflow Lambda's NAME_PREFIX
# setting checks: a longer stack name keeps 22 characters and 8 hex digits of project/stack. Cutting the job name
# instead lost the run id's time, and a second run that day reused the first run's imports.
RESOURCE_PREFIX_LENGTH, JOB_PREFIX_LENGTH = 40, 31


def name_prefixes(project: str, stack: str) -> tuple[str, str]:
    """(the prefix of the stack's Personalize resources, the prefix of the workflow's solution and jobs); the same
    string for any project-stack of at most 31 characters."""
    def personalize_safe(name: str) -> str:
        return re.sub(r"[^a-zA-Z0-9_-]", "-", name)  # Pulumi names may hold '.'; Personalize's may not

    return (personalize_safe(f"{project}-{stack}")[:RESOURCE_PREFIX_LENGTH],
            personalize_safe(fitted_name(project, stack, JOB_PREFIX_LENGTH)))


def filter_expression(event_types: tuple[str, ...], categories: bool) -> str:
    """The one filter a batch job or GetRecommendations takes. Interactions and Items conditions cannot share an
    expression, so they are chained with `|`: two EXCLUDEs exclude the union. A placeholder's EXCLUDE is ignored
    when a request gives it no values (users with no opt-outs)."""
    parts = []
    if event_types:
        names = ", ".join(f'"{name}"' for name in event_types)
        parts.append(f"EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ({names})")
    if categories:
        parts.append(f"EXCLUDE ItemID WHERE Items.{consent.CATEGORY_FIELD} IN (${consent.FILTER_PARAMETER})")
    return " | ".join(parts)


def filter_name(prefix: str, expression: str) -> str:
    """Filters replace on any change and names are unique per dataset group: the expression's digest in the name
    lets the new filter be created before the old one is deleted."""
    return f"{prefix}-filter-{hashlib.sha256(expression.encode()).hexdigest()[:8]}"


def create(name: str, prefix: str, settings: PredictiveEngagementSettings, key: EncryptionKey,
           bucket_arn: pulumi.Output[str], runs_prefix: str, protect: bool,
           parent: pulumi.Resource) -> PersonalizeResources:
    provider = aws_native.Provider(f"{name}-aws-native", region=iam.region_name(),
                                   opts=pulumi.ResourceOptions(parent=parent))
    opts = pulumi.ResourceOptions(parent=parent, provider=provider, ignore_changes=["tags"])
    # Personalize reads imports and batch input, and writes batch output, with this role; scoped to the run
    # prefix of the solution's bucket and the stack key.
    role, role_policy = iam.service_role(f"{name}-personalize-service-role", f"{name}-personalize-service-policy",
                                         "personalize.amazonaws.com", [
        iam.allow(["s3:ListBucket"], [bucket_arn], sid="ListRuns",
                  condition={"StringLike": {"s3:prefix": [f"{runs_prefix}*", f"{contract.CATALOGUE_PREFIX}*"]}}),
        iam.allow(["s3:GetObject", "s3:PutObject"], [pulumi.Output.concat(bucket_arn, f"/{runs_prefix}*")],
                  sid="ReadImportsWriteBatchOutput"),
        iam.allow(["s3:GetObject"], [pulumi.Output.concat(bucket_arn, f"/{contract.CATALOGUE_PREFIX}*")],
                  sid="ReadCatalogue"),
        iam.allow(["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey", "kms:CreateGrant"], [key.arn],
                  sid="StackKey")], parent, description="Lets Amazon Personalize read and write this solution's runs")
    # Personalize checks that it may use the key through the role when the group is created.
    stateful = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=protect))
    dataset_group = aws_native.personalize.DatasetGroup(
        f"{name}-dataset-group", name=prefix, kms_key_arn=key.arn, role_arn=role.arn,
        opts=pulumi.ResourceOptions.merge(stateful, pulumi.ResourceOptions(depends_on=[role_policy])))
    schema = aws_native.personalize.Schema(f"{name}-interactions-schema", name=f"{prefix}-interactions",
                                           schema=contract.interactions_schema(), opts=opts)
    interactions = aws_native.personalize.Dataset(
        f"{name}-interactions", name=f"{prefix}-interactions", dataset_type="Interactions",
        dataset_group_arn=dataset_group.dataset_group_arn, schema_arn=schema.schema_arn, opts=stateful)
    metadata = {}
    for kind, enabled, schema_text in (("items", settings.items_dataset_enabled, contract.items_schema()),
                                       ("users", settings.users_dataset_enabled, contract.users_schema())):
        if enabled:
            metadata_schema = aws_native.personalize.Schema(f"{name}-{kind}-schema", name=f"{prefix}-{kind}",
                                                            schema=schema_text, opts=opts)
            metadata[kind] = aws_native.personalize.Dataset(
                f"{name}-{kind}", name=f"{prefix}-{kind}", dataset_type=kind.capitalize(),
                dataset_group_arn=dataset_group.dataset_group_arn, schema_arn=metadata_schema.schema_arn,
                opts=stateful)
    tracker = None
    if settings.realtime_enabled:
        # The tracker writes into the interactions dataset, which must exist first.
        tracker = aws_native.personalize.EventTracker(
            f"{name}-event-tracker", name=f"{prefix}-tracker", dataset_group_arn=dataset_group.dataset_group_arn,
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[interactions])))
    exclude = None
    if settings.exclude_event_types or settings.category_filter_enabled:
        expression = filter_expression(settings.exclude_event_types, settings.category_filter_enabled)
        # The datasets whose fields the expression names must exist first.
        exclude = aws_native.personalize.Filter(
            f"{name}-exclude-filter", name=filter_name(prefix, expression),
            dataset_group_arn=dataset_group.dataset_group_arn, filter_expression=expression,
            opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[
                interactions, *([metadata["items"]] if settings.category_filter_enabled else [])])))
    campaign = None
    if settings.campaign_enabled:
        # The workflow moves the campaign to each promoted version (UpdateCampaign); Pulumi keeps out of that.
        campaign = aws_native.personalize.Campaign(
            f"{name}-campaign", name=f"{prefix}-campaign",
            solution_version_arn=settings.campaign_solution_version_arn,
            min_provisioned_tps=settings.campaign_min_tps,
            opts=pulumi.ResourceOptions(parent=parent, provider=provider,
                                        ignore_changes=["tags", "solutionVersionArn"]))
    return PersonalizeResources(dataset_group, interactions, role, tracker, exclude, campaign, provider, metadata)

"""The solution's Lambda functions, each with a role scoped to this stack's ARNs (components.iam)."""
from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi

from .. import iam
from ..events_database.reference import EventsDatabaseReference
from ..kms import EncryptionKey
from ..lambda_function import PackagedFunction, PackagedFunctionArgs
from ..profile_store import ProfileStore
from contracts.category_consent import CategoryMap
from contracts.personalize import CATALOGUE_PREFIX

from .customer_profiles import OBJECT_TYPE
from .interactions import render_select
from .personalize import PersonalizeResources
from .settings import PredictiveEngagementSettings

RUNS_PREFIX = "predictive-engagement/runs/"
STATE_KEY = "predictive-engagement/state/model.json"
ITEMS_CATALOGUE_KEY = f"{CATALOGUE_PREFIX}items.csv"


@dataclass
class FunctionsArgs:
    prefix: str
    """The workflow's solution and job names start `<prefix>-` (personalize.name_prefixes)."""
    settings: PredictiveEngagementSettings
    key: EncryptionKey
    bucket_name: pulumi.Output[str]
    bucket_arn: pulumi.Output[str]
    personalize: PersonalizeResources
    profile_store: ProfileStore
    log_retention_days: int
    log_level: str
    events: EventsDatabaseReference
    """The events database; its Firehose stream (when known) receives the run summaries."""
    preferences_table: tuple[pulumi.Output[str], pulumi.Output[str]] | None = None
    """(name, arn) of the preference center's preferences table, for consent."""
    category_map: CategoryMap | None = None
    """With the category filter: publications -> item categories (contracts.category_consent)."""


@dataclass
class Functions:
    export: PackagedFunction
    personalize: PackagedFunction
    writer: PackagedFunction


def _arn(kind: str, name: pulumi.Input[str]) -> pulumi.Output[str]:
    return pulumi.Output.concat("arn:aws:personalize:", iam.region_name(), ":", iam.account_id(), ":", kind, "/",
                                name)


def _runs(bucket_arn: pulumi.Output[str]) -> list[iam.Statement]:
    return [iam.allow(["s3:ListBucket"], [bucket_arn], sid="ListRuns",
                      condition={"StringLike": {"s3:prefix": [f"{RUNS_PREFIX}*"]}}),
            iam.allow(["s3:GetObject", "s3:PutObject"], [pulumi.Output.concat(bucket_arn, f"/{RUNS_PREFIX}*")],
                      sid="RunFiles")]


def create(name: str, args: FunctionsArgs, parent: pulumi.Resource) -> Functions:
    common = dict(kms_key=args.key, log_retention_days=args.log_retention_days, log_level=args.log_level)
    child = pulumi.ResourceOptions(parent=parent)
    export_statements = _runs(args.bucket_arn)
    export_environment = {"WORK_BUCKET": args.bucket_name, "RUN_PREFIX": RUNS_PREFIX,
                          "INTERACTIONS_SELECT": render_select(args.settings)}
    if args.category_map is not None:
        # Each user's opted-out categories become filter values in the batch input.
        export_environment.update(_consent_environment(args))
        export_statements.append(iam.allow(["dynamodb:Scan"], [args.preferences_table[1]], sid="ReadConsent"))
    export = PackagedFunction(f"{name}-export", PackagedFunctionArgs(
        source="predictive_engagement_export", description="Turns the interactions UNLOAD into Personalize's CSV",
        timeout=900, memory_size=1024, statements=export_statements, environment=export_environment, **common),
        opts=child)

    p, prefix = args.personalize, args.prefix
    # Solutions are `<prefix>-<recipe>` and every recipe starts `aws-`: `<prefix>-*` would also reach the solution
    # of a stack whose name extends this one's (`engagement-dev-eu-...` from `engagement-dev`).
    solutions = _arn("solution", f"{prefix}-aws-*")
    statements = [
        iam.allow(["personalize:CreateDatasetImportJob"], [
            p.interactions.dataset_arn, *[d.dataset_arn for d in p.metadata.values()],
            _arn("dataset-import-job", f"{prefix}-import-*")], sid="ImportDatasets"),
        iam.allow(["personalize:DescribeDatasetImportJob"], [_arn("dataset-import-job", f"{prefix}-import-*")]),
        # The IAM catalogue lists no resource type for ListSolutionVersions: only "*" matches its requests.
        iam.allow(["personalize:ListSolutionVersions"], ["*"], sid="ListSolutionVersionsHasNoResourceArn"),
        iam.allow(["personalize:CreateSolution", "personalize:DescribeSolution", "personalize:CreateSolutionVersion"],
                  [solutions, p.dataset_group.dataset_group_arn, _arn("recipe", args.settings.recipe)],
                  sid="SolutionWithoutAutomaticTraining"),
        iam.allow(["personalize:DescribeSolutionVersion", "personalize:GetSolutionMetrics",
                   "personalize:CreateBatchInferenceJob"],
                  [pulumi.Output.concat(solutions, "/*"), _arn("batch-inference-job", f"{prefix}-batch-*"),
                   *([p.exclude_filter.filter_arn] if p.exclude_filter else [])], sid="TrainAndInfer"),
        iam.allow(["personalize:DescribeBatchInferenceJob"], [_arn("batch-inference-job", f"{prefix}-batch-*")]),
        iam.allow(["iam:PassRole"], [p.role.arn], sid="PassPersonalizeRole",
                  condition={"StringEquals": {"iam:PassedToService": "personalize.amazonaws.com"}}),
        iam.allow(["s3:GetObject", "s3:PutObject"], [pulumi.Output.concat(args.bucket_arn, f"/{STATE_KEY}")],
                  sid="PromotedModelState"),
        iam.allow(["s3:ListBucket"], [args.bucket_arn], sid="MissingObjectsAreNotFound",
                  condition={"StringLike": {"s3:prefix": [STATE_KEY, f"{CATALOGUE_PREFIX}*"]}}),
        iam.allow(["s3:GetObject"], [pulumi.Output.concat(args.bucket_arn, f"/{CATALOGUE_PREFIX}*")],
                  sid="CatalogueFilesPresent"),
    ]
    environment = {
        "DATASET_GROUP_ARN": p.dataset_group.dataset_group_arn, "INTERACTIONS_DATASET_ARN": p.interactions.dataset_arn,
        "PERSONALIZE_ROLE_ARN": p.role.arn, "KMS_KEY_ARN": args.key.arn, "NAME_PREFIX": prefix,
        "RECIPE": args.settings.recipe, "RECOMMENDATION_COUNT": str(args.settings.recommendation_count),
        "TRAINING_INTERVAL_DAYS": str(args.settings.training_interval_days),
        "PROMOTION_MARGIN_PERCENT": str(args.settings.promotion_margin_percent),
        "WORK_BUCKET": args.bucket_name, "STATE_KEY": STATE_KEY}
    for kind, dataset in p.metadata.items():
        environment[f"{kind.upper()}_DATASET_ARN"] = dataset.dataset_arn
    if p.exclude_filter:
        environment["FILTER_ARN"] = p.exclude_filter.filter_arn
    if p.campaign:
        environment["CAMPAIGN_ARN"] = p.campaign.campaign_arn
        statements.append(iam.allow(["personalize:UpdateCampaign"], [p.campaign.campaign_arn],
                                    sid="MoveCampaignToPromotedModel"))
    personalize = PackagedFunction(f"{name}-personalize", PackagedFunctionArgs(
        source="predictive_engagement_personalize", description="Every Personalize call of the workflow",
        timeout=60, statements=statements, environment=environment, **common), opts=child)

    writer_statements = [*_runs(args.bucket_arn), *args.profile_store.writer_statements("predictive_engagement")]
    writer_environment = {"PROFILE_TABLE": args.profile_store.table_name,
                          "EVENTS_STREAM_NAME": args.events.stream_name or "",
                          "RECOMMENDATION_COUNT": str(args.settings.recommendation_count)}
    if args.events.stream_arn is not None:
        writer_statements.append(iam.allow(["firehose:PutRecord"], [args.events.stream_arn], sid="RunSummaryEvent"))
    if args.preferences_table:
        table_name, table_arn = args.preferences_table
        writer_environment["PREFERENCES_TABLE"] = table_name
        writer_statements.append(iam.allow(["dynamodb:Scan"], [table_arn], sid="ReadConsent"))
    if args.category_map is not None:
        # Defence in depth: the writer drops items of opted-out categories by the catalogue's own categories.
        writer_environment.update(_consent_environment(args))
        writer_environment.update({
            "ITEMS_CATALOGUE": pulumi.Output.concat("s3://", args.bucket_name, f"/{ITEMS_CATALOGUE_KEY}"),
            "KEEP_UNCATEGORISED_ITEMS": str(args.settings.keep_uncategorised_items).lower()})
        writer_statements += [
            iam.allow(["s3:GetObject"], [pulumi.Output.concat(args.bucket_arn, f"/{ITEMS_CATALOGUE_KEY}")],
                      sid="ItemsCatalogue"),
            iam.allow(["s3:ListBucket"], [args.bucket_arn], sid="MissingCatalogueIsNotFound",
                      condition={"StringLike": {"s3:prefix": [ITEMS_CATALOGUE_KEY]}})]
    if args.settings.customer_profiles_domain:
        domain = args.settings.customer_profiles_domain
        writer_environment["CUSTOMER_PROFILES_DOMAIN"] = domain
        writer_statements.append(iam.allow(["profile:PutProfileObject"], [pulumi.Output.concat(
            "arn:aws:profile:", iam.region_name(), ":", iam.account_id(), ":domains/", domain,
            "/object-types/", OBJECT_TYPE)], sid="CustomerProfiles"))
    writer = PackagedFunction(f"{name}-writer", PackagedFunctionArgs(
        source="predictive_engagement_writer", description="Writes recommended_items onto every profile",
        timeout=900, memory_size=1024, statements=writer_statements, environment=writer_environment, **common),
        opts=child)
    return Functions(export, personalize, writer)


def _consent_environment(args: FunctionsArgs) -> dict[str, pulumi.Input[str]]:
    return {"PREFERENCES_TABLE": args.preferences_table[0], "CATEGORY_MAP": args.category_map.to_json()}


def event_values_json(settings: PredictiveEngagementSettings) -> str:
    return json.dumps(dict(settings.weighted_event_types), sort_keys=True)

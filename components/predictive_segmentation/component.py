"""PredictiveSegmentation: daily churn scores from engagement data onto every customer.

Successor of "Predictive Segmentation Using Amazon Pinpoint and Amazon SageMaker". Defaults: scoring daily at
03:00 UTC, retraining only when no model exists (set a retraining schedule to refresh it), features over 7/30/90
days of email engagement plus the attributes file, a label window of 30 days, the threshold at 50 % validation
precision, a quality gate at hold-out PR-AUC 0.30 with at least 25 churners, a 10 % control group, scratch data
kept 14 days and dated scores 400 days, all encrypted with the stack key. Outputs per customer (score,
percentile, risk band, top features, model version, control/audience flags) go to S3 (dated + latest/, Glue
tables `churn_scores` and `churn_scores_latest`), the shared profile store (namespace predictive_segmentation)
and, if enabled, Amazon Connect Customer Profiles.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi

from contracts import churn_features
from contracts.events import partition_prefix

from .. import athena
from ..config import PredictiveSegmentationSettings
from ..events_database.reference import EventsDatabaseReference
from ..foundation import Foundation
from ..lambda_function import PackagedFunction, PackagedFunctionArgs
from ..profile_store import ProfileStore
from ..workflow import Schedule, ScheduledWorkflow, ScheduledWorkflowArgs
from . import access, alarms, customer_profiles, images, pipeline, storage

TEMPLATE = storage.code_bundle.ROOT / "sql" / "predictive_segmentation" / "features.sql"
# Where the prepare step looks for the first day of e-mail history (the `dt=` folders of delivery events).
HISTORY_PREFIX = partition_prefix("email", "delivery")


@dataclass
class PredictiveSegmentationArgs:
    settings: PredictiveSegmentationSettings
    foundation: Foundation
    profile_store: ProfileStore
    events: EventsDatabaseReference
    """The events database the features read (this stack's or an existing one; components/stack.py)."""
    log_retention_days: int
    region: str
    log_level: str = "INFO"
    protect: bool = False
    bytes_scanned_cutoff_mb: int = 10240
    """Per-query scan limit of the solution's own Athena workgroup."""


class PredictiveSegmentation(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]
    database_name: pulumi.Output[str]
    workgroup_name: pulumi.Output[str]
    state_machine_arn: pulumi.Output[str]
    latest_scores_uri: pulumi.Output[str]
    latest_audience_uri: pulumi.Output[str]
    customer_profiles_domain: pulumi.Output[str] | None

    def __init__(self, name: str, args: PredictiveSegmentationArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("engagement:segmentation:PredictiveSegmentation", name, None, opts)
        self.solution_tag = "predictive-segmentation"
        settings, foundation = args.settings, args.foundation
        spec = settings.feature_spec()
        image = images.xgboost_image(args.region, settings.container_image)  # refuses an unknown region first
        template = TEMPLATE.read_text(encoding="utf-8")
        attributes_table = f"{storage.database_name()}.{storage.ATTRIBUTES_TABLE}"
        # Rendered once the events database's name is known: another stack's is an Output until deploy time.
        feature_sql = pulumi.Output.from_input(args.events.database_name).apply(
            lambda events_database: churn_features.render(template, spec, events_database, attributes_table))

        bucket = storage.create_bucket(name, settings, foundation, args.protect, self)
        database = storage.create_catalog(name, settings, spec, bucket, args.protect, self)
        workgroup = athena.create_workgroup(name, athena.WorkgroupArgs(
            role="segmentation", description="Feature queries of predictive segmentation", bucket_name=bucket.name,
            key=foundation.key, cutoff_mb=args.bytes_scanned_cutoff_mb, force_destroy=not args.protect), parent=self)
        code_uri = storage.upload_files(name, bucket, foundation, feature_sql, self)
        arns = access.Arns(bucket=bucket.name, key=foundation.key.arn, events=args.events,
                           attributes_location=settings.attributes_location, database=database.name,
                           workgroup=workgroup.name)
        profiles = (customer_profiles.create(name, settings, foundation, args.protect, self)
                    if settings.customer_profiles_enabled else None)
        profiles_name = profiles.domain_name if profiles else None

        common = {"kms_key": foundation.key, "log_retention_days": args.log_retention_days,
                  "log_level": args.log_level}
        prepare = PackagedFunction(f"{name}-prepare", PackagedFunctionArgs(
            source="predictive_segmentation_prepare", description="Plans a churn scoring or retraining run",
            timeout=300, statements=access.prepare_statements(arns), environment={
                "BUCKET": bucket.name, "FEATURE_SQL_KEY": storage.FEATURE_SQL_KEY,
                "FEATURE_SPEC": json.dumps(spec.to_json(), separators=(",", ":")),
                "LABEL_WINDOW_DAYS": str(settings.label_window_days), "EVENTS_BUCKET": args.events.bucket_name,
                "EVENTS_PREFIX": HISTORY_PREFIX, "JOB_NAME_PREFIX": access.model_prefix()}, **common), opts=pulumi.ResourceOptions(parent=self))
        promote = PackagedFunction(f"{name}-promote", PackagedFunctionArgs(
            source="predictive_segmentation_promote", description="Quality gate: promotes or refuses a trained model",
            timeout=300, memory_size=512, statements=access.promote_statements(arns), environment={
                "BUCKET": bucket.name, "MODEL_NAME_PREFIX": access.model_prefix(),
                "MODELS_RETAINED": str(settings.models_retained),
                "POWERTOOLS_METRICS_NAMESPACE": alarms.NAMESPACE}, **common),
            opts=pulumi.ResourceOptions(parent=self))
        postprocess = PackagedFunction(f"{name}-postprocess", PackagedFunctionArgs(
            source="predictive_segmentation_postprocess",
            description="Scores -> percentiles, bands, control group, audience, profile store, summary event",
            timeout=900, memory_size=3008, statements=[
                *access.postprocess_statements(arns, args.events.stream_arn, profiles and profiles.domain_arn),
                *args.profile_store.writer_statements("predictive_segmentation")],
            environment={
                "BUCKET": bucket.name, "PROFILE_TABLE": args.profile_store.table_name,
                "EVENTS_STREAM_NAME": args.events.stream_name or "",
                "CUSTOMER_PROFILES_DOMAIN": profiles_name or "",
                "CONTROL_FRACTION": str(settings.control_group_percent / 100),
                "CONTROL_SALT": settings.control_group_salt, "LABEL_WINDOW_DAYS": str(settings.label_window_days),
                "POWERTOOLS_METRICS_NAMESPACE": alarms.NAMESPACE}, **common),
            opts=pulumi.ResourceOptions(parent=self))

        model_role, model_policy = access.model_role(name, arns, image, self)
        training_role, training_policy = access.training_role(name, arns, image, self)
        timings = pipeline.PipelineTimings(transform_instance_type=settings.transform_instance_type,
                                           training_instance_type=settings.training_instance_type)
        definition = pulumi.Output.all(
            prepare.arn, postprocess.arn, promote.arn, workgroup.name, database.name, model_role.arn,
            training_role.arn, foundation.key.arn, code_uri).apply(lambda v: json.dumps(pipeline.definition(
                pipeline.PipelineResources(
                    prepare_function=v[0], postprocess_function=v[1], promote_function=v[2], workgroup=v[3],
                    database=v[4], image=image, model_role_arn=v[5], training_role_arn=v[6], kms_key_arn=v[7],
                    code_uri=v[8], hyperparameters=pipeline.hyperparameters(settings),
                    customer_profiles=settings.customer_profiles_enabled), timings)))
        schedules = [Schedule("daily-scoring", settings.schedule, {"mode": "score",
                                                                    "scheduled_time": "<aws.scheduler.scheduled-time>"},
                              timezone=settings.schedule_timezone, description="Daily churn scoring")]
        if settings.retraining_schedule:
            schedules.append(Schedule("retraining", settings.retraining_schedule, {
                "mode": "retrain", "scheduled_time": "<aws.scheduler.scheduled-time>"},
                timezone=settings.schedule_timezone, description="Churn model retraining through the quality gate"))
        workflow = ScheduledWorkflow(f"{name}-pipeline", ScheduledWorkflowArgs(
            definition=definition, kms_key=foundation.key, alarm_topic_arn=foundation.alarm_topic.arn,
            log_retention_days=args.log_retention_days, schedules=schedules,
            statements=access.state_machine_statements(arns, [prepare.arn, postprocess.arn, promote.arn],
                                                       [model_role.arn, training_role.arn]),
            # SageMaker checks the job roles' permissions when a job starts: create them with their policies; the
            # export writes into the declared object type, so no run starts before it (and the segment) exist.
            depends_on=[model_policy, training_policy,
                        *([profiles.object_type, profiles.segment] if profiles else [])]),
            opts=pulumi.ResourceOptions(parent=self))
        alarms.create(name, settings, foundation.alarm_topic.arn, self)

        self.bucket_name = bucket.name
        self.database_name = database.name
        self.workgroup_name = workgroup.name
        self.state_machine_arn = workflow.arn
        self.latest_scores_uri = bucket.name.apply(lambda b: f"s3://{b}/scores/latest/")
        self.latest_audience_uri = bucket.name.apply(lambda b: f"s3://{b}/audience/latest/audience.csv")
        self.customer_profiles_domain = profiles_name
        self.register_outputs({
            "bucket_name": self.bucket_name, "database_name": self.database_name,
            "workgroup_name": self.workgroup_name, "state_machine_arn": self.state_machine_arn,
            "latest_scores_uri": self.latest_scores_uri, "latest_audience_uri": self.latest_audience_uri,
            "customer_profiles_domain": self.customer_profiles_domain})


"""PredictiveEngagement: Amazon Personalize recommendations from engagement events onto every profile.

Successor of Predictive User Engagement (which assumed a trained campaign, wrote one hard-coded Pinpoint
endpoint and had no trigger). Defaults: the `aws-user-personalization-v2` recipe, 10 items per user, a daily
run at 04:00 UTC that trains at most every 7 days (Personalize's own automatic training always off), a new model
promoted only if no offline metric drops by more than 2 %, real-time forwarding of clicks, product views and
purchases, no campaign (it bills per hour), run files kept 30 days, all encrypted with the stack key.
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi

from .. import athena, iam
from ..events_database.reference import EventsDatabaseReference
from ..foundation import Foundation
from ..profile_store import ProfileStore
from ..secure_bucket import LifecycleRule, SecureBucket, SecureBucketArgs
from . import api, customer_profiles, functions, personalize, realtime, schedule
from contracts.category_consent import CategoryMap
from contracts.personalize import CATALOGUE_PREFIX

from .settings import PredictiveEngagementSettings

RUN_RETENTION_DAYS = 30


@dataclass
class PredictiveEngagementArgs:
    settings: PredictiveEngagementSettings
    foundation: Foundation
    profile_store: ProfileStore
    events: EventsDatabaseReference
    """The events database interactions come from (this stack's or an existing one; components/stack.py)."""
    log_retention_days: int
    log_level: str = "INFO"
    protect: bool = False
    preferences_table: tuple[pulumi.Output[str], pulumi.Output[str]] | None = None
    """(name, arn) of the preference center's preferences table when it is deployed: consent is honoured."""
    bytes_scanned_cutoff_mb: int = 10240
    """Per-query scan limit of the solution's own Athena workgroup."""
    category_map: CategoryMap | None = None
    """Preference-center publications -> item categories, resolved from config (settings.resolved_category_map);
    required when the category filter is on."""


class PredictiveEngagement(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]
    workgroup_name: pulumi.Output[str]
    dataset_group_arn: pulumi.Output[str]
    tracking_id: pulumi.Output[str] | None
    realtime_queue_url: pulumi.Output[str] | None
    api_url: pulumi.Output[str] | None

    def __init__(self, name: str, args: PredictiveEngagementArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("engagement:predictive:PredictiveEngagement", name, None, opts)
        self.solution_tag = "predictive-engagement"
        settings, key = args.settings, args.foundation.key
        if settings.realtime_enabled and args.events.event_bus_name is None:
            raise ValueError("real-time forwarding needs the events database's event bus (events.event_bus_name)")
        if settings.category_filter_enabled and (args.category_map is None or args.preferences_table is None):
            raise ValueError("the category filter needs the preferences table and the resolved category map")
        prefix, job_prefix = personalize.name_prefixes(pulumi.get_project(), pulumi.get_stack())
        # Personalize also needs the bucket policy to let its service principal in (besides its role); the
        # statement names the bucket's own ARN, resolved once SecureBucket created it.
        bucket_arn, resolve_bucket_arn = pulumi.deferred_output()
        bucket = SecureBucket(f"{name}-data", SecureBucketArgs(
            kms_key=key, access_log_bucket=args.foundation.access_logs.bucket, log_prefix=f"s3/{name}-data/",
            protect=args.protect, force_destroy=not args.protect,
            lifecycle_rules=[LifecycleRule("expire-runs", functions.RUNS_PREFIX, expiration_days=RUN_RETENTION_DAYS,
                                           noncurrent_expiration_days=1), athena.results_lifecycle_rule()],
            extra_policy_statements=[_personalize_bucket_access(bucket_arn)]),
            opts=pulumi.ResourceOptions(parent=self))
        resolve_bucket_arn(bucket.arn)
        # Its own workgroup: the interactions UNLOAD lands in this bucket under this stack's key, even when the
        # events database is another stack's (Athena encrypts UNLOAD output with the workgroup's key).
        workgroup = athena.create_workgroup(name, athena.WorkgroupArgs(
            role="engagement", description="Interactions export of predictive user engagement",
            bucket_name=bucket.name, key=key, cutoff_mb=args.bytes_scanned_cutoff_mb, force_destroy=not args.protect),
            parent=self)
        resources = personalize.create(name, prefix, settings, key, bucket.arn, functions.RUNS_PREFIX, args.protect,
                                       self)
        self.functions = functions.create(name, functions.FunctionsArgs(
            prefix=job_prefix, settings=settings, key=key, bucket_name=bucket.name, bucket_arn=bucket.arn,
            personalize=resources, profile_store=args.profile_store, log_retention_days=args.log_retention_days,
            log_level=args.log_level, events=args.events, preferences_table=args.preferences_table,
            category_map=args.category_map), self)
        self.workflow = schedule.create(name, settings.schedule, self.functions, args.events, workgroup.name, key,
                                        bucket.arn, args.foundation.alarm_topic.arn, args.log_retention_days, self)
        if settings.customer_profiles_domain:
            customer_profiles.create(name, settings.customer_profiles_domain, resources.provider, self)
        self.api_url = None
        if resources.campaign is not None:
            http_api = api.create(name, resources.campaign.campaign_arn,
                                  resources.exclude_filter.filter_arn if resources.exclude_filter else None,
                                  settings.recommendation_count, args.preferences_table, args.category_map, key,
                                  args.log_retention_days, args.log_level, self)
            self.api_url = http_api.api_endpoint
        self.tracking_id = self.realtime_queue_url = None
        if resources.event_tracker is not None:
            queue, _, _ = realtime.create(name, settings, key, args.events.event_bus_name,
                                          resources.event_tracker.tracking_id, args.log_retention_days,
                                          args.log_level, args.foundation.alarm_topic.arn, self)
            self.tracking_id = resources.event_tracker.tracking_id
            self.realtime_queue_url = queue.url
        self.bucket_name = bucket.name
        self.workgroup_name = workgroup.name
        self.dataset_group_arn = resources.dataset_group.dataset_group_arn
        self.workflow_arn = self.workflow.arn
        self.register_outputs({"bucket_name": self.bucket_name, "workgroup_name": self.workgroup_name,
                               "dataset_group_arn": self.dataset_group_arn,
                               "workflow_arn": self.workflow_arn, "api_url": self.api_url,
                               "tracking_id": self.tracking_id, "realtime_queue_url": self.realtime_queue_url})


def _personalize_bucket_access(bucket_arn: pulumi.Output[str]) -> dict:
    return {"Sid": "PersonalizeReadsImportsWritesBatchOutput", "Effect": "Allow",
            "Principal": {"Service": "personalize.amazonaws.com"},
            "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
            "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, f"/{functions.RUNS_PREFIX}*"),
                         pulumi.Output.concat(bucket_arn, f"/{CATALOGUE_PREFIX}*")],
            "Condition": {"StringEquals": {"aws:SourceAccount": iam.account_id()}}}

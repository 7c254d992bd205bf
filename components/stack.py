"""Build the whole stack from its validated config: shared foundation + one component per enabled solution."""
from __future__ import annotations

import pulumi

from .config import StackConfig
from .events_database.component import EventsDatabase, EventsDatabaseArgs
from .events_database.reference import STACK_OUTPUTS, EventsDatabaseReference
from .foundation import Foundation, FoundationArgs
from .predictive_segmentation.component import PredictiveSegmentation, PredictiveSegmentationArgs
from .preference_center.component import PreferenceCenter, PreferenceCenterArgs, load_center_config
from .profile_store import ProfileStore, ProfileStoreArgs
from .tagging import register_default_tags, stack_tags


def build_stack(config: StackConfig) -> None:
    env = config.env
    # A bad preference-center file must stop the program before the first resource, shared ones included.
    center_document = load_center_config(config.preference_center) if config.preference_center.enabled else None
    # The category filter's map names that file's categories and publications: checked before any resource too.
    category_map = config.predictive_engagement.resolved_category_map(center_document)
    register_default_tags(stack_tags(env.environment, pulumi.get_project(), env.owner, env.tags))
    foundation = Foundation("shared", FoundationArgs(
        log_retention_days=env.log_retention_days, protect=env.protect_stateful_resources,
        alarm_email=str(env.alarm_email) if env.alarm_email else None))
    pulumi.export("kmsKeyArn", foundation.key.arn)
    pulumi.export("accessLogBucket", foundation.access_logs.name)
    pulumi.export("alarmTopicArn", foundation.alarm_topic.arn)

    if config.events_database.enabled:
        events = EventsDatabase("events", EventsDatabaseArgs(
            settings=config.events_database, foundation=foundation, log_retention_days=env.log_retention_days,
            log_level=env.log_level, protect=env.protect_stateful_resources))
        pulumi.export("eventsBucket", events.bucket_name)
        pulumi.export("eventsDatabase", events.database_name)
        pulumi.export("eventsTable", events.table_name)
        pulumi.export("eventsWorkgroup", events.workgroup_name)
        pulumi.export("eventsStreamName", events.stream_name)
        pulumi.export("eventsStreamArn", events.stream_arn)
        pulumi.export("eventsAppStreamName", events.app_stream_name)
        pulumi.export("eventsAppStreamArn", events.app_stream_arn)
        pulumi.export("eventsIngestPolicyArn", events.ingest_policy_arn)
        pulumi.export("eventsBusName", events.event_bus_name)
        pulumi.export("eventsRuleName", events.event_rule_name)
        pulumi.export("sesConfigurationSet", events.configuration_set_name)
        pulumi.export("smsConfigurationSet", events.sms_configuration_set_name)
        pulumi.export("eventsInboundSmsTopicArn", events.inbound_sms_topic_arn)
        pulumi.export("eventsTwoWaySmsRoleArn", events.two_way_sms_role_arn)

    if config.preference_center.enabled:
        center = PreferenceCenter("preferences", PreferenceCenterArgs(
            settings=config.preference_center, foundation=foundation, log_retention_days=env.log_retention_days,
            log_level=env.log_level, protect=env.protect_stateful_resources, document=center_document,
            events_stream=(events.stream_name, events.stream_arn) if config.events_database.enabled else None,
            inbound_sms_topic_arn=events.inbound_sms_topic_arn if config.events_database.enabled else None,
            # The events database's configuration sets publish every SES event type to the default bus.
            ses_subscriptions_published=config.events_database.enabled))
        pulumi.export("preferencePageUrl", center.page_url)
        pulumi.export("preferenceApiUrl", center.api_url)
        pulumi.export("preferenceDistributionId", center.distribution_id)
        pulumi.export("preferenceContactList", center.contact_list_name)
        pulumi.export("preferenceOptOutList", center.opt_out_list_name)
        pulumi.export("preferenceConfigTable", center.config_table_name)
        pulumi.export("preferencesTable", center.preferences_table_name)
        pulumi.export("preferenceConsentTable", center.consent_table_name)
        pulumi.export("preferenceAudienceTable", center.audience_table_name)
        pulumi.export("preferenceSigningSecretArn", center.signing_secret_arn)
        pulumi.export("preferencePageBucket", center.page_bucket_name)
        pulumi.export("preferenceSyncFunction", center.sync_function_name)
        pulumi.export("preferenceSesSubscriptionFunction", center.ses_subscription_function_name)
        if center.sms_keyword_function_name is not None:
            pulumi.export("preferenceSmsKeywordFunction", center.sms_keyword_function_name)
        if center.api_origin_target is not None:
            pulumi.export("preferenceApiOriginTarget", center.api_origin_target)

    profile_store = events_reference = None
    if config.predictive_segmentation.enabled or config.predictive_engagement.enabled:
        # One store for both predictive solutions; each writes only its own namespace (contracts/profile_store).
        profile_store = ProfileStore("profiles", ProfileStoreArgs(kms_key=foundation.key,
                                                                  protect=env.protect_stateful_resources),
                                     opts=pulumi.ResourceOptions(parent=foundation))
        pulumi.export("profileStoreTable", profile_store.table_name)
        # One reference for both: they read the same events database, whichever way config names it.
        events_reference = events_database_reference(config, events if config.events_database.enabled else None)

    if config.predictive_segmentation.enabled:
        segmentation = PredictiveSegmentation("segmentation", PredictiveSegmentationArgs(
            settings=config.predictive_segmentation, foundation=foundation, profile_store=profile_store,
            events=events_reference, log_retention_days=env.log_retention_days, region=env.region,
            log_level=env.log_level, protect=env.protect_stateful_resources,
            bytes_scanned_cutoff_mb=config.events_database.bytes_scanned_cutoff_mb))
        pulumi.export("segmentationBucket", segmentation.bucket_name)
        pulumi.export("segmentationDatabase", segmentation.database_name)
        pulumi.export("segmentationWorkgroup", segmentation.workgroup_name)
        pulumi.export("segmentationStateMachineArn", segmentation.state_machine_arn)
        pulumi.export("segmentationLatestScores", segmentation.latest_scores_uri)
        pulumi.export("segmentationLatestAudience", segmentation.latest_audience_uri)
        if segmentation.customer_profiles_domain is not None:
            pulumi.export("segmentationCustomerProfilesDomain", segmentation.customer_profiles_domain)

    if config.predictive_engagement.enabled:
        # Imported only when enabled: it loads pulumi-aws-native (Personalize), which other stacks never need.
        from .predictive_engagement.component import PredictiveEngagement, PredictiveEngagementArgs

        engagement = PredictiveEngagement("engagement", PredictiveEngagementArgs(
            settings=config.predictive_engagement, foundation=foundation, profile_store=profile_store,
            events=events_reference, log_retention_days=env.log_retention_days, log_level=env.log_level,
            protect=env.protect_stateful_resources,
            preferences_table=_table(center.preferences_table_name) if config.preference_center.enabled else None,
            category_map=category_map,
            bytes_scanned_cutoff_mb=config.events_database.bytes_scanned_cutoff_mb))
        pulumi.export("engagementBucket", engagement.bucket_name)
        pulumi.export("engagementWorkgroup", engagement.workgroup_name)
        pulumi.export("engagementDatasetGroupArn", engagement.dataset_group_arn)
        pulumi.export("engagementWorkflowArn", engagement.workflow_arn)
        if engagement.api_url is not None:
            pulumi.export("engagementApiUrl", engagement.api_url)
        if engagement.realtime_queue_url is not None:
            pulumi.export("engagementRealtimeQueueUrl", engagement.realtime_queue_url)


def _table(table_name: pulumi.Output[str]) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
    """(name, ARN) of a DynamoDB table of this stack, from its name."""
    from . import iam

    return table_name, pulumi.Output.concat("arn:aws:dynamodb:", iam.region_name(), ":", iam.account_id(),
                                            ":table/", table_name)


def events_database_reference(config: StackConfig, events: EventsDatabase | None) -> EventsDatabaseReference:
    """The events database the predictive solutions read: this stack's (`events`), another stack's exports
    (eventsDatabaseExistingStackReference), or an existing one named by the eventsDatabaseExisting* keys.
    The config model has already refused any other combination."""
    if events is not None:
        return EventsDatabaseReference(database_name=events.database_name, bucket_name=events.bucket_name,
                                       stream_name=events.stream_name, stream_arn=events.stream_arn,
                                       event_bus_name=events.event_bus_name)
    settings = config.events_database
    if settings.existing_stack_reference:
        other = pulumi.StackReference("events-database", stack_name=settings.existing_stack_reference)
        return EventsDatabaseReference(**{field: other.require_output(output)
                                          for field, output in STACK_OUTPUTS.items()})
    stream_arn = settings.existing_stream_arn or None
    return EventsDatabaseReference(database_name=settings.existing_glue_database_name,
                                   bucket_name=settings.existing_bucket_name, stream_arn=stream_arn,
                                   stream_name=stream_arn.rsplit("/", 1)[-1] if stream_arn else None,
                                   event_bus_name=settings.existing_event_bus_name or None,
                                   kms_key_arn=settings.existing_kms_key_arn or None)

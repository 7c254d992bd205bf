"""Build the whole stack from its validated config: shared foundation + one component per enabled solution."""
from __future__ import annotations

import pulumi

from .config import StackConfig
from .events_database.component import EventsDatabase, EventsDatabaseArgs
from .foundation import Foundation, FoundationArgs
from .preference_center.component import PreferenceCenter, PreferenceCenterArgs, load_center_config
from .tagging import register_default_tags, stack_tags


def build_stack(config: StackConfig) -> None:
    env = config.env
    # A bad preference-center file must stop the program before the first resource, shared ones included.
    center_document = load_center_config(config.preference_center) if config.preference_center.enabled else None
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
            events_stream=(events.stream_name, events.stream_arn) if config.events_database.enabled else None))
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

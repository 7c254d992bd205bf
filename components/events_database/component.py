"""EventsDatabase: SES and SMS engagement events in a queryable Athena data lake.

Successor of the Digital User Engagement Events Database. Defaults: the Glue database `<project>_<stack>_events`;
events kept as GZIP Parquet under `events/channel=/kind=/dt=` (moved to Standard-IA after 90 days), without a copy
of the source record in each row (raw_event), since Firehose keeps the raw source records under `raw/` (90 days);
failed records under `errors/` (30 days), Athena results under `athena-results/` (7 days); 900 s / 64 MB Firehose
buffers: one file per partition per 15 minutes, so files are few and large enough that a one-day, one-type query
reads about a tenth of what GZIP JSON would (bench/view_bytes.py), at the price of events being queryable up to
15 minutes later (real-time consumers use the event bus); a 10 GB per-query scan limit; two-way SMS replies
through an SNS topic into the stream; applications' custom events through a second stream of their own
(eventsAppStreamName) whose transform takes nothing else; all encrypted with the stack key. The table, views and record shapes are
the events contract's (contracts/events).
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import athena
from ..config import EventsDatabaseSettings
from ..foundation import Foundation
from ..lambda_function import PackagedFunction, PackagedFunctionArgs
from ..secure_bucket import LifecycleRule, SecureBucket, SecureBucketArgs
from . import alarms, catalog, delivery, inbound, schema, sources

APP_TRANSFORM_SERVICE = "events_transform_app"  # its metrics' `service`, so each stream's alarms see its own


@dataclass
class EventsDatabaseArgs:
    settings: EventsDatabaseSettings
    foundation: Foundation
    log_retention_days: int
    log_level: str = "INFO"
    protect: bool = False


class EventsDatabase(pulumi.ComponentResource):
    bucket_name: pulumi.Output[str]
    database_name: pulumi.Output[str]
    table_name: pulumi.Output[str]
    workgroup_name: pulumi.Output[str]
    stream_name: pulumi.Output[str]
    stream_arn: pulumi.Output[str]
    app_stream_name: pulumi.Output[str]
    app_stream_arn: pulumi.Output[str]
    ingest_policy_arn: pulumi.Output[str]
    event_bus_name: pulumi.Output[str]
    event_rule_name: pulumi.Output[str]
    configuration_set_name: pulumi.Output[str]
    sms_configuration_set_name: pulumi.Output[str]
    inbound_sms_topic_arn: pulumi.Output[str]
    two_way_sms_role_arn: pulumi.Output[str]

    def __init__(self, name: str, args: EventsDatabaseArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("engagement:events:EventsDatabase", name, None, opts)
        self.solution_tag = "events-database"
        settings, key = args.settings, args.foundation.key
        lake = SecureBucket(f"{name}-lake", SecureBucketArgs(
            kms_key=key, access_log_bucket=args.foundation.access_logs.bucket, log_prefix=f"s3/{name}-lake/",
            protect=args.protect, force_destroy=not args.protect, lifecycle_rules=_lifecycle(settings)),
            opts=pulumi.ResourceOptions(parent=self))
        database_name = settings.database_name(pulumi.get_project(), pulumi.get_stack())
        database = catalog.create_database(name, database_name, args.protect, self)
        table = catalog.create_events_table(name, database, lake.name, self)
        catalog.create_views(name, database, table, database_name, self)
        workgroup = athena.create_workgroup(name, athena.WorkgroupArgs(
            role="events", description="Analyst queries over the engagement events database", bucket_name=lake.name,
            key=key, cutoff_mb=settings.bytes_scanned_cutoff_mb, force_destroy=not args.protect), parent=self)
        stream, transform = self._stream(
            name, "events", "Normalises SES, SMS/voice and app events into the canonical engagement schema", {},
            args, database.name, table, lake.arn)
        # Applications Direct-PUT to their own stream, into the same table: its transform refuses anything but a
        # custom app event, so an app cannot pass for SES, End User Messaging, SNS or the project's own Lambdas.
        app_stream, app_transform = self._stream(
            f"{name}-app", "events-app", "Normalises applications' custom events; refuses any other record",
            {"APP_EVENTS_ONLY": "true", "POWERTOOLS_SERVICE_NAME": APP_TRANSFORM_SERVICE},
            args, database.name, table, lake.arn)
        configuration_set = sources.create_ses_sources(name, stream, settings.existing_configuration_sets, self)
        sms_set = sources.create_sms_source(name, stream, self)
        ingest_policy = sources.create_ingest_policy(name, app_stream, self)
        inbound_sms = inbound.create_inbound_topic(name, key, self)
        bus, rule, dead_letters = sources.create_event_bus(name, configuration_set, key.arn, inbound_sms.topic, self)
        inbound.deliver_to_stream(name, inbound_sms, stream, dead_letters, self)
        alarms.create_alarms(name, stream.name, transform.name, args.foundation.alarm_topic.arn,
                             settings.buffering_interval_seconds, self)
        alarms.create_alarms(f"{name}-app", app_stream.name, app_transform.name, args.foundation.alarm_topic.arn,
                             settings.buffering_interval_seconds, self, transform_service=APP_TRANSFORM_SERVICE)

        self.bucket_name = lake.name
        self.database_name = database.name
        self.table_name = table.name
        self.workgroup_name = workgroup.name
        self.stream_name = stream.name
        self.stream_arn = stream.arn
        self.app_stream_name = app_stream.name
        self.app_stream_arn = app_stream.arn
        self.ingest_policy_arn = ingest_policy.arn
        self.event_bus_name = bus.name
        self.event_rule_name = rule.name
        self.configuration_set_name = configuration_set.configuration_set_name
        self.sms_configuration_set_name = sms_set.name
        self.inbound_sms_topic_arn = inbound_sms.topic.arn
        self.two_way_sms_role_arn = inbound_sms.channel_role.arn
        self.register_outputs({
            "bucket_name": self.bucket_name, "database_name": self.database_name, "table_name": self.table_name,
            "workgroup_name": self.workgroup_name, "stream_name": self.stream_name, "stream_arn": self.stream_arn,
            "app_stream_name": self.app_stream_name, "app_stream_arn": self.app_stream_arn,
            "ingest_policy_arn": self.ingest_policy_arn, "event_bus_name": self.event_bus_name,
            "event_rule_name": self.event_rule_name, "configuration_set_name": self.configuration_set_name,
            "sms_configuration_set_name": self.sms_configuration_set_name,
            "inbound_sms_topic_arn": self.inbound_sms_topic_arn, "two_way_sms_role_arn": self.two_way_sms_role_arn})


    def _stream(self, name: str, stream_suffix: str, description: str, environment: dict[str, str],
                args: EventsDatabaseArgs, database_name: pulumi.Output[str], table: aws.glue.CatalogTable,
                bucket_arn: pulumi.Output[str]) -> tuple[aws.kinesis.FirehoseDeliveryStream, PackagedFunction]:
        """A delivery stream into the lake's events table through its own transform (`environment` on top of
        the shared settings)."""
        settings, key = args.settings, args.foundation.key
        transform = PackagedFunction(f"{name}-transform", PackagedFunctionArgs(
            source="events_transform", kms_key=key, log_retention_days=args.log_retention_days,
            description=description,
            # Firehose waits for the transform synchronously; a batch of up to 1 MB parses well within a minute.
            timeout=120, memory_size=512, log_level=args.log_level,
            environment={"POWERTOOLS_METRICS_NAMESPACE": alarms.TRANSFORM_METRICS_NAMESPACE,
                         "KEEP_RAW_EVENT": "true" if settings.keep_raw_event else "false", **environment}),
            opts=pulumi.ResourceOptions(parent=self))
        stream = delivery.create_delivery_stream(name, delivery.DeliveryArgs(
            bucket_arn=bucket_arn, key=key, transform=transform, database_name=database_name, table=table,
            log_retention_days=args.log_retention_days,
            buffering_interval_seconds=settings.buffering_interval_seconds,
            buffering_size_mb=settings.buffering_size_mb, stream_suffix=stream_suffix), parent=self)
        return stream, transform


def _lifecycle(settings: EventsDatabaseSettings) -> list[LifecycleRule]:
    return [
        LifecycleRule("events-to-infrequent-access", schema.EVENTS_PREFIX,
                      infrequent_access_days=settings.events_infrequent_access_days),
        LifecycleRule("expire-raw-backup", delivery.RAW_PREFIX, expiration_days=settings.raw_backup_retention_days),
        LifecycleRule("expire-raw-backup-errors", delivery.RAW_ERRORS_PREFIX,
                      expiration_days=settings.error_retention_days),
        LifecycleRule("expire-errors", schema.ERRORS_PREFIX, expiration_days=settings.error_retention_days),
        athena.results_lifecycle_rule(settings.query_results_retention_days),
    ]

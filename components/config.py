"""The stack configuration as one validated model.

Pulumi's project config schema only knows string, boolean, integer and array, so every setting is a flat key in
the project namespace (``engagement:eventsDatabaseEnabled``); the model groups them into one section per solution.
``Pulumi.yaml`` declares each key with its type, description and default; ``tests/components/test_config.py``
keeps the two in step. Everything here runs before any resource is registered, so a bad stack file fails with
one message that names the key and the fix.
"""
from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import pulumi
from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError, field_validator, model_validator

PROJECT = "engagement"
# CloudWatch Logs accepts only these retention periods (PutRetentionPolicy API).
LOG_RETENTION_DAYS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
                      2922, 3288, 3653)
_TAG_PATTERN = re.compile(r"^[\w.:/=+\-@ ]{1,128}=[\w.:/=+\-@ ]{0,256}$")


class ConfigError(pulumi.RunError):
    """A stack configuration problem. RunError makes the CLI print the message without a traceback."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


# A long section lives beside its solution; it subclasses _Section, hence imported after it.
from .predictive_engagement.settings import PredictiveEngagementSettings  # noqa: E402


class EnvironmentSettings(_Section):
    environment: Literal["dev", "staging", "prod"] = Field(
        "dev", alias="environment", description="Environment name; tags every resource and selects defaults.")
    owner: str = Field("platform-team", alias="owner", min_length=1, max_length=128,
                       description="Owning team, written to the `owner` tag of every resource.")
    region: str = Field("us-east-1", alias="aws:region", description="AWS region of the stack (aws:region).")
    log_retention_days: int = Field(30, alias="logRetentionDays",
                                    description="Retention of every CloudWatch log group, in days.")
    protect_stateful_resources: bool = Field(
        False, alias="protectStatefulResources",
        description="Protect buckets, tables, keys and streams from deletion (`pulumi destroy` refuses).")
    alarm_email: EmailStr | None = Field(None, alias="alarmEmail",
                                         description="E-mail address subscribed to the alarm topic.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", alias="logLevel", description="Log level of every Lambda function.")
    extra_tags: tuple[str, ...] = Field((), alias="extraTags",
                                        description="Extra tags for every resource, as `key=value` strings.")

    @field_validator("alarm_email", mode="before")
    @classmethod
    def _empty_email_is_none(cls, value: Any) -> Any:
        return None if value in ("", None) else value

    @field_validator("region")
    @classmethod
    def _known_region(cls, value: str) -> str:
        import pulumi_aws  # only the Region enum; cheap, and keeps the list of regions current with the provider

        regions = sorted(r.value for r in pulumi_aws.Region)
        if value not in regions:
            close = difflib.get_close_matches(value, regions, n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise ValueError(f"'{value}' is not an AWS region.{hint}")
        return value

    @field_validator("log_retention_days")
    @classmethod
    def _valid_retention(cls, value: int) -> int:
        if value not in LOG_RETENTION_DAYS:
            raise ValueError(f"{value} is not a CloudWatch Logs retention period; use one of {LOG_RETENTION_DAYS}")
        return value

    @field_validator("extra_tags")
    @classmethod
    def _tags_are_pairs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for tag in value:
            if not _TAG_PATTERN.match(tag):
                raise ValueError(f"'{tag}' is not a `key=value` tag")
        return value

    @property
    def tags(self) -> dict[str, str]:
        return dict(tag.split("=", 1) for tag in self.extra_tags)


_EXISTING_NAME_FIELDS = ("existing_glue_database_name", "existing_bucket_name", "existing_stream_arn",
                         "existing_event_bus_name", "existing_kms_key_arn")


def configuration_set_names(value: tuple[str, ...]) -> tuple[str, ...]:
    """SES configuration set names, each once."""
    for name in value:
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name):
            raise ValueError(f"'{name}' is not an SES configuration set name ([A-Za-z0-9_-], up to 64)")
    if len(set(value)) != len(value):
        raise ValueError("names a configuration set twice")
    return value


class EventsDatabaseSettings(_Section):
    enabled: bool = Field(False, alias="eventsDatabaseEnabled",
                          description="Deploy the engagement events database (SES/SMS events -> Athena).")
    glue_database_name: str = Field(
        "", alias="eventsDatabaseGlueDatabaseName", pattern=r"^([a-z][a-z0-9_]{0,254})?$",
        description="Name of the Glue/Athena database; empty = `<project>_<stack>_events`, unique per stack. "
                    "`due_eventdb` keeps the seed's name (then one stack per account and region).")
    keep_raw_event: bool = Field(
        False, alias="eventsDatabaseKeepRawEvent",
        description="Also copy each source record into the table's raw_event column (doubles the table; Firehose "
                    "keeps every source record under raw/ either way).")
    existing_configuration_sets: tuple[str, ...] = Field(
        (), alias="eventsDatabaseExistingConfigurationSets",
        description="Existing SES configuration sets that also publish their events to the database.")
    buffering_interval_seconds: int = Field(
        900, alias="eventsDatabaseBufferingIntervalSeconds", ge=60, le=900,
        description="Firehose buffering interval: one file per partition per interval, so longer means fewer, "
                    "larger files and fewer bytes per query; events are queryable that much later (>= 60).")
    buffering_size_mb: int = Field(64, alias="eventsDatabaseBufferingSizeMb", ge=64, le=128,
                                   description="Firehose buffering size (Parquet conversion: >= 64).")
    bytes_scanned_cutoff_mb: int = Field(10240, alias="eventsDatabaseBytesScannedCutoffMb", ge=10,
                                         description="Per-query scan limit of every Athena workgroup of the stack "
                                                     "(the events database's and the predictive pipelines'), in MB.")
    raw_backup_retention_days: int = Field(90, alias="eventsDatabaseRawBackupRetentionDays", ge=1,
                                           description="Days the raw source records are kept.")
    error_retention_days: int = Field(30, alias="eventsDatabaseErrorRetentionDays", ge=1,
                                      description="Days records that failed processing are kept.")
    query_results_retention_days: int = Field(7, alias="eventsDatabaseQueryResultsRetentionDays", ge=1,
                                              description="Days Athena query results are kept.")
    events_infrequent_access_days: int = Field(
        90, alias="eventsDatabaseInfrequentAccessDays", ge=30,
        description="Days after which event files move to S3 Standard-IA (S3 requires >= 30).")
    existing_stack_reference: str = Field(
        "", alias="eventsDatabaseExistingStackReference",
        description="Stack (org/project/stack) whose events database the predictive solutions read, with "
                    "eventsDatabaseEnabled false (its outputs eventsDatabase, eventsBucket, eventsStreamName, "
                    "eventsStreamArn, eventsBusName, kmsKeyArn).")
    existing_glue_database_name: str = Field(
        "", alias="eventsDatabaseExistingGlueDatabaseName", pattern=r"^$|^[a-z][a-z0-9_]{0,254}$",
        description="Glue database of an existing events database the predictive solutions read, with "
                    "eventsDatabaseEnabled false, when no Pulumi stack exports it (else use "
                    "eventsDatabaseExistingStackReference). Needs eventsDatabaseExistingBucketName.")
    existing_bucket_name: str = Field(
        "", alias="eventsDatabaseExistingBucketName", pattern=r"^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        description="Data-lake bucket of that existing events database (events under `events/`).")
    existing_stream_arn: str = Field(
        "", alias="eventsDatabaseExistingStreamArn",
        pattern=r"^$|^arn:aws[a-z-]*:firehose:[a-z0-9-]+:\d{12}:deliverystream/.+$",
        description="Its Firehose stream, for the predictive solutions' run summary events (empty: none).")
    existing_event_bus_name: str = Field(
        "", alias="eventsDatabaseExistingEventBusName", pattern=r"^$|^[A-Za-z0-9._\-/]{1,256}$",
        description="Its EventBridge bus, for predictive engagement's real-time forwarding (empty: set "
                    "predictiveEngagementRealtimeEnabled false).")
    existing_kms_key_arn: str = Field(
        "", alias="eventsDatabaseExistingKmsKeyArn", pattern=r"^$|^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/.+$",
        description="The KMS key of its bucket, if it is not this stack's key.")

    @property
    def existing_names(self) -> dict[str, str]:
        """The eventsDatabaseExisting* names that are set (key alias -> value), stack reference excluded."""
        return {field.alias: getattr(self, name) for name, field in type(self).model_fields.items()
                if name in _EXISTING_NAME_FIELDS and getattr(self, name)}

    @property
    def readable(self) -> bool:
        """Whether the stack has an events database to read: its own, another stack's, or named ones."""
        return self.enabled or bool(self.existing_stack_reference) or bool(self.existing_names)

    def database_name(self, project: str, stack: str) -> str:
        """The configured Glue database, or `<project>_<stack>_events`: Glue names are per account and region, so
        a fixed default (the seed's `due_eventdb`) made the second stack in an account fail or share the first's."""
        return self.glue_database_name or re.sub(r"[^a-z0-9_]", "_", f"{project}_{stack}_events".lower())

    @staticmethod
    def configuration_set_name(project: str, stack: str) -> str:
        """The SES configuration set the events database creates (it publishes every event type, SUBSCRIPTION
        included, to the default bus)."""
        return f"{project}-{stack}"

    @field_validator("existing_configuration_sets")
    @classmethod
    def _configuration_set_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return configuration_set_names(value)

    @model_validator(mode="after")
    def _one_source(self) -> "EventsDatabaseSettings":
        """Deploy one, reference another stack's, or name an existing one: exactly one way, and completely."""
        named = self.existing_names
        if self.enabled and self.existing_stack_reference:
            raise ConfigError(_message(
                "eventsDatabaseExistingStackReference",
                "is set while eventsDatabaseEnabled is true; a stack either deploys its events database or "
                "uses an existing one",
                "unset one of them: `pulumi config rm engagement:eventsDatabaseExistingStackReference`"))
        if self.enabled and named:
            key = next(iter(named))
            raise ConfigError(_message(
                key, "is set while eventsDatabaseEnabled is true; the predictive solutions read this stack's "
                     "events database", f"`pulumi config rm engagement:{key}`, or set eventsDatabaseEnabled false "
                                        "to read the existing one instead"))
        if self.existing_stack_reference and named:
            key = next(iter(named))
            raise ConfigError(_message(
                key, "is set together with eventsDatabaseExistingStackReference; the stack reference already "
                     "names the database, bucket, stream, bus and key",
                f"keep one: `pulumi config rm engagement:{key}` (and the other eventsDatabaseExisting* names), or "
                "`pulumi config rm engagement:eventsDatabaseExistingStackReference`"))
        if named:
            for required, partner in (("eventsDatabaseExistingGlueDatabaseName", "eventsDatabaseExistingBucketName"),
                                      ("eventsDatabaseExistingBucketName", "eventsDatabaseExistingGlueDatabaseName")):
                if required not in named:
                    given = partner if partner in named else next(iter(named))
                    raise ConfigError(_message(
                        required, f"is empty while {given} is set; an existing events database is read through "
                                  "its Glue database and its bucket", f"set engagement:{required} too, or unset "
                                  "the eventsDatabaseExisting* names"))
        return self


class PreferenceCenterSettings(_Section):
    enabled: bool = Field(False, alias="preferenceCenterEnabled",
                          description="Deploy the preference center (page, API, sync to SES and SMS opt-outs).")
    config_file: str = Field("preference_center/sample.json", alias="preferenceCenterConfigFile",
                             description="Preference-center configuration file (JSON), relative to the project.")
    max_link_ttl_days: int = Field(30, alias="preferenceCenterMaxLinkTtlDays", ge=1, le=400,
                                   description="Longest lifetime the API accepts for a signed link, in days (at "
                                               "most preferenceCenterKeyRotationDays).")
    key_rotation_days: int = Field(90, alias="preferenceCenterKeyRotationDays", ge=1, le=1000,
                                   description="Rotation period of the link-signing key and of CloudFront's origin "
                                               "proof (the previous key stays valid until the next rotation).")
    waf_rate_limit: int = Field(300, alias="preferenceCenterWafRateLimit", ge=10, le=2_000_000_000,
                                description="Requests per IP per 5 minutes before AWS WAF blocks.")
    domain_name: str = Field("", alias="preferenceCenterDomainName",
                             max_length=253, pattern=r"^$|^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
                             description="Custom domain of the page and API ('' = the default *.cloudfront.net "
                                         "name, where CloudFront accepts TLSv1 and later).")
    certificate_arn: str = Field("", alias="preferenceCenterCertificateArn",
                                 pattern=r"^$|^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate/[0-9a-f-]{36}$",
                                 description="ACM certificate in us-east-1 for preferenceCenterDomainName "
                                             "(served sni-only with TLSv1.2_2021).")
    api_domain_name: str = Field("", alias="preferenceCenterApiDomainName",
                                 max_length=253, pattern=r"^$|^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
                                 description="Regional custom domain CloudFront uses as the API's origin; with it "
                                             "the API's default execute-api endpoint is disabled, so no request "
                                             "can bypass CloudFront and WAF ('' = the execute-api endpoint stays "
                                             "reachable and answers 403 without CloudFront's origin proof).")
    api_certificate_arn: str = Field("", alias="preferenceCenterApiCertificateArn",
                                     pattern=r"^$|^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}$",
                                     description="ACM certificate in the stack's Region for "
                                                 "preferenceCenterApiDomainName (TLS 1.2).")
    existing_contact_list: str = Field("", alias="preferenceCenterExistingContactListName",
                                       pattern=r"^$|^[A-Za-z0-9_-]{1,64}$",
                                       description="Adopt this existing SES contact list (SES allows one per "
                                                   "account and Region) instead of creating one; it must have a "
                                                   "topic per EMAIL publication.")
    ses_configuration_sets: tuple[str, ...] = Field(
        (), alias="preferenceCenterSesConfigurationSets",
        description="Existing SES configuration sets that mail with the contact list's unsubscribe links is sent "
                    "through: each gets an EventBridge destination for SUBSCRIPTION events, so opt-outs made on "
                    "SES's own unsubscribe page reach the preference center (the events database's sets publish "
                    "them already; do not name those here).")
    api_reserved_concurrency: int = Field(0, alias="preferenceCenterApiReservedConcurrency", ge=0, le=10_000,
                                          description="Concurrent executions reserved for the API function "
                                                      "(0 = none; new accounts cannot reserve any).")
    sms_origination_identity_arn: str = Field(
        "", alias="preferenceCenterSmsOriginationIdentityArn",
        pattern=r"^$|^arn:aws[a-z-]*:sms-voice:[a-z0-9-]+:\d{12}:(phone-number|pool|sender-id)/\S+$",
        description="End User Messaging phone number, pool or sender id (ARN) that sends SMS confirmation links "
                    "('' = new mobile numbers cannot be confirmed, so cannot be added).")

    @field_validator("ses_configuration_sets")
    @classmethod
    def _ses_configuration_set_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return configuration_set_names(value)

    @model_validator(mode="after")
    def _consistent(self) -> "PreferenceCenterSettings":
        if self.max_link_ttl_days > self.key_rotation_days:
            # A link lives on its signing key; after two rotations that key is gone, whatever the link's expiry.
            raise ConfigError(_message(
                "preferenceCenterMaxLinkTtlDays",
                f"is {self.max_link_ttl_days}, longer than the {self.key_rotation_days} days key rotation keeps a "
                "link's key valid", "lower engagement:preferenceCenterMaxLinkTtlDays or raise "
                "engagement:preferenceCenterKeyRotationDays"))
        if bool(self.domain_name) != bool(self.certificate_arn):
            raise ConfigError(_message(
                "preferenceCenterDomainName" if self.certificate_arn else "preferenceCenterCertificateArn",
                "is empty while its partner is set; a custom domain needs both",
                "set both engagement:preferenceCenterDomainName and engagement:preferenceCenterCertificateArn "
                "(an ACM certificate in us-east-1), or neither"))
        if bool(self.api_domain_name) != bool(self.api_certificate_arn):
            raise ConfigError(_message(
                "preferenceCenterApiDomainName" if self.api_certificate_arn else "preferenceCenterApiCertificateArn",
                "is empty while its partner is set; the API's origin domain needs both",
                "set both engagement:preferenceCenterApiDomainName and engagement:preferenceCenterApiCertificateArn "
                "(an ACM certificate in the stack's Region), or neither"))
        if self.api_domain_name and self.api_domain_name == self.domain_name:
            raise ConfigError(_message(
                "preferenceCenterApiDomainName", "equals preferenceCenterDomainName; viewers resolve that name to "
                "CloudFront, so it cannot also be the API's origin", "use a separate name such as "
                f"api-origin.{self.domain_name}"))
        return self


SEED_ATTRIBUTE_COLUMNS = ("ChannelType", "Id", "Address", "Attributes.AccountLength", "Attributes.PlanOptionA",
                          "Attributes.PlanOptionB", "Attributes.PlanOptionC", "Attributes.UsageWeekdays",
                          "Attributes.UsageWeekends", "Attributes.SharedWithFriend", "Attributes.Churn")
_S3_PREFIX = r"^s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[^\s]*)?/$"
_INSTANCE_TYPE = r"^ml\.[a-z0-9]+\.[a-z0-9]+$"
_SPEC_ERROR_KEYS = (("numeric column", "predictiveSegmentationNumericColumns"),
                    ("categorical column", "predictiveSegmentationCategoricalColumns"),
                    ("id column", "predictiveSegmentationIdColumn"), ("label column", "predictiveSegmentationLabelColumn"),
                    ("address column", "predictiveSegmentationAddressColumn"),
                    ("windows", "predictiveSegmentationFeatureWindowsDays"))


class PredictiveSegmentationSettings(_Section):
    enabled: bool = Field(False, alias="predictiveSegmentationEnabled",
                          description="Deploy predictive segmentation (daily churn scoring). Needs the events "
                                      "database.")
    schedule: str = Field("cron(0 3 * * ? *)", alias="predictiveSegmentationSchedule",
                          pattern=r"^(cron|rate)\(.+\)$", description="EventBridge Scheduler expression of scoring.")
    schedule_timezone: str = Field("UTC", alias="predictiveSegmentationScheduleTimezone", min_length=1,
                                   description="IANA time zone of both schedules.")
    retraining_schedule: str = Field(
        "", alias="predictiveSegmentationRetrainingSchedule", pattern=r"^$|^(cron|rate)\(.+\)$",
        description="Scheduler expression of retraining (empty: retrain only when no model exists yet).")
    attributes_location: str = Field(
        "", alias="predictiveSegmentationAttributesLocation", pattern=r"^$|" + _S3_PREFIX,
        description="S3 folder (`s3://bucket/prefix/`) of the customer-attributes files, one header row each.")
    attributes_format: Literal["csv", "parquet"] = Field(
        "csv", alias="predictiveSegmentationAttributesFormat", description="Format of the attributes files.")
    attribute_columns: tuple[str, ...] = Field(
        SEED_ATTRIBUTE_COLUMNS, alias="predictiveSegmentationAttributeColumns",
        description="Every column of the attributes files, in file order (default: the seed's endpoint export).")
    id_column: str = Field("Id", alias="predictiveSegmentationIdColumn", min_length=1,
                           description="Attributes column holding the customer id (the events' user_id).")
    address_column: str = Field("Address", alias="predictiveSegmentationAddressColumn",
                                description="Attributes column holding the email address (empty: none).")
    label_column: str = Field("Attributes.Churn", alias="predictiveSegmentationLabelColumn", min_length=1,
                              description="Attributes column holding the churn flag (0 or 1).")
    numeric_columns: tuple[str, ...] = Field(
        SEED_ATTRIBUTE_COLUMNS[3:-1], alias="predictiveSegmentationNumericColumns",
        description="Attributes columns used as numeric features.")
    categorical_columns: tuple[str, ...] = Field(
        (), alias="predictiveSegmentationCategoricalColumns",
        description="Attributes columns used as categorical features (one-hot over the 20 most frequent values).")
    feature_windows_days: tuple[int, ...] = Field(
        (7, 30, 90), alias="predictiveSegmentationFeatureWindowsDays",
        description="Look-back windows (days) of the engagement counts.")
    label_window_days: int = Field(30, alias="predictiveSegmentationLabelWindowDays", ge=1, le=365,
                                   description="Days between the training features and the labels; also the "
                                               "backtest horizon.")
    threshold_strategy: Literal["precision", "top_k"] = Field(
        "precision", alias="predictiveSegmentationThresholdStrategy",
        description="How the at-risk threshold is chosen on validation data.")
    threshold_target_percent: int = Field(
        50, alias="predictiveSegmentationThresholdTargetPercent", ge=1, le=99,
        description="Target precision (strategy precision) or share of customers flagged (strategy top_k), in %.")
    top_k_percent: int = Field(5, alias="predictiveSegmentationTopKPercent", ge=1, le=50,
                               description="Share of customers for the reported precision/recall at top-k, in %.")
    minimum_pr_auc_percent: int = Field(30, alias="predictiveSegmentationMinimumPrAucPercent", ge=1, le=99,
                                        description="Quality gate: hold-out PR-AUC floor, in %; below it the "
                                                    "model is not promoted.")
    minimum_positives: int = Field(25, alias="predictiveSegmentationMinimumPositives", ge=5,
                                   description="Data sufficiency: churned customers needed to train.")
    minimum_negatives: int = Field(100, alias="predictiveSegmentationMinimumNegatives", ge=10,
                                   description="Data sufficiency: retained customers needed to train.")
    control_group_percent: int = Field(10, alias="predictiveSegmentationControlGroupPercent", ge=0, le=50,
                                       description="Share of at-risk customers kept out of the audience, in %.")
    control_group_salt: str = Field("churn-control-v1", alias="predictiveSegmentationControlGroupSalt",
                                    min_length=1, max_length=64,
                                    description="Salt of the stable control-group hash; change it to redraw.")
    backtest_minimum_lift_percent: int = Field(
        150, alias="predictiveSegmentationBacktestMinimumLiftPercent", ge=100,
        description="Alarm when the backtest lift falls below this (150 = 1.5x the churn base rate).")
    transform_instance_type: str = Field("ml.m5.large", alias="predictiveSegmentationTransformInstanceType",
                                         pattern=_INSTANCE_TYPE, description="Batch transform instance type.")
    training_instance_type: str = Field("ml.m5.xlarge", alias="predictiveSegmentationTrainingInstanceType",
                                        pattern=_INSTANCE_TYPE, description="Training instance type.")
    container_image: str = Field(
        "", alias="predictiveSegmentationContainerImage", pattern=r"^$|^[0-9]{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com/.+:.+$",
        description="SageMaker XGBoost 3.0-5 image URI (empty: the one of the stack's region).")
    scratch_retention_days: int = Field(14, alias="predictiveSegmentationScratchRetentionDays", ge=1,
                                        description="Days run scratch data (features, transform output) is kept.")
    scores_retention_days: int = Field(400, alias="predictiveSegmentationScoresRetentionDays", ge=30,
                                       description="Days dated scores and audiences are kept.")
    models_retained: int = Field(
        3, alias="predictiveSegmentationModelsRetained", ge=2, le=100,
        description="SageMaker Models of promoted versions kept (newest first, the active one always); older ones "
                    "are deleted after each promotion. At least 2, so the previous model stays for a rollback.")
    customer_profiles_enabled: bool = Field(
        False, alias="predictiveSegmentationCustomerProfilesEnabled",
        description="Also write scores to Amazon Connect Customer Profiles with a predicted-to-churn segment.")
    customer_profiles_domain: str = Field(
        "", alias="predictiveSegmentationCustomerProfilesDomain", pattern=r"^$|^[a-zA-Z0-9_-]{1,64}$",
        description="Existing Customer Profiles domain (empty: the stack creates one).")
    customer_profiles_expiration_days: int = Field(
        365, alias="predictiveSegmentationCustomerProfilesExpirationDays", ge=1, le=1098,
        description="Days Customer Profiles keeps the data it receives.")
    @model_validator(mode="after")
    def _consistent(self) -> "PredictiveSegmentationSettings":
        from contracts.churn_features import FeatureSpec, FeatureSpecError

        if not self.enabled:
            return self
        if not self.attributes_location:
            raise ConfigError(_message("predictiveSegmentationAttributesLocation", "is empty",
                                       "set the S3 folder of the customer-attributes files, e.g. "
                                       "`pulumi config set engagement:predictiveSegmentationAttributesLocation "
                                       "s3://my-crm-exports/customers/`"))
        try:
            FeatureSpec(self.attribute_spec(), tuple(self.feature_windows_days))
        except FeatureSpecError as error:
            text = str(error)
            key = next((k for prefix, k in _SPEC_ERROR_KEYS if text.startswith(prefix)),
                       "predictiveSegmentationAttributeColumns")
            raise ConfigError(_message(key, f"does not fit the attributes file: {text}",
                                       f"correct engagement:{key} (column names are case-sensitive)")) from None
        return self

    def attribute_spec(self):
        from contracts.churn_features import AttributeSpec

        return AttributeSpec(tuple(self.attribute_columns), self.id_column, self.label_column,
                             tuple(self.numeric_columns), tuple(self.categorical_columns),
                             self.address_column or None)

    def feature_spec(self):
        from contracts.churn_features import FeatureSpec

        return FeatureSpec(self.attribute_spec(), tuple(self.feature_windows_days))


class StackConfig(BaseModel):
    """The whole stack configuration; build it with `load_stack_config`, never by hand from raw config."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    env: EnvironmentSettings = EnvironmentSettings()
    events_database: EventsDatabaseSettings = EventsDatabaseSettings()
    preference_center: PreferenceCenterSettings = PreferenceCenterSettings()
    predictive_segmentation: PredictiveSegmentationSettings = PredictiveSegmentationSettings()
    predictive_engagement: PredictiveEngagementSettings = PredictiveEngagementSettings()

    @model_validator(mode="after")
    def _combinations(self) -> "StackConfig":
        events = self.events_database
        for key, section in (("predictiveSegmentationEnabled", self.predictive_segmentation),
                             ("predictiveEngagementEnabled", self.predictive_engagement)):
            if section.enabled and not events.readable:
                raise ConfigError(_message(
                    key, "is true but the stack has no events database to read engagement from",
                    "`pulumi config set engagement:eventsDatabaseEnabled true`, point "
                    "engagement:eventsDatabaseExistingStackReference at the stack that has one, or name an existing "
                    "one with engagement:eventsDatabaseExistingGlueDatabaseName and "
                    "engagement:eventsDatabaseExistingBucketName"))
        engagement = self.predictive_engagement
        if engagement.enabled and engagement.realtime_enabled and events.existing_names \
                and not events.existing_event_bus_name:
            raise ConfigError(_message(
                "eventsDatabaseExistingEventBusName", "is empty, but predictive engagement forwards engagement "
                "events in real time from the existing events database's bus",
                "set engagement:eventsDatabaseExistingEventBusName to that bus, or "
                "`pulumi config set engagement:predictiveEngagementRealtimeEnabled false`"))
        if engagement.enabled and engagement.category_filter_enabled and not self.preference_center.enabled:
            raise ConfigError(_message(
                "predictiveEngagementCategoryFilterEnabled", "is true but the stack has no preference center to "
                "read category opt-outs from",
                "`pulumi config set engagement:preferenceCenterEnabled true`, or "
                "`pulumi config set engagement:predictiveEngagementCategoryFilterEnabled false`"))
        if self.preference_center.enabled and events.enabled:
            published = sorted(set(self.preference_center.ses_configuration_sets)
                               & set(events.existing_configuration_sets))
            if published:
                raise ConfigError(_message(
                    "preferenceCenterSesConfigurationSets", f"names {', '.join(published)}, which the events "
                    "database already publishes to EventBridge (eventsDatabaseExistingConfigurationSets, SUBSCRIPTION "
                    "included); a second destination would deliver every opt-out twice",
                    "remove those names from engagement:preferenceCenterSesConfigurationSets"))
        api_certificate = self.preference_center.api_certificate_arn
        if api_certificate and api_certificate.split(":")[3] != self.env.region:
            raise ConfigError(_message(
                "preferenceCenterApiCertificateArn", f"is in {api_certificate.split(':')[3]}, but a regional API "
                f"domain needs its certificate in the stack's Region ({self.env.region})",
                f"request or import the certificate in {self.env.region} and set its ARN"))
        if self.env.environment == "prod":
            if not self.env.protect_stateful_resources:
                raise ConfigError(_message(
                    "protectStatefulResources", "is false in a prod stack",
                    "`pulumi config set engagement:protectStatefulResources true`"))
            if self.env.alarm_email is None:
                raise ConfigError(_message(
                    "alarmEmail", "is empty in a prod stack; alarms would reach nobody",
                    "`pulumi config set engagement:alarmEmail oncall@example.com`"))
        return self


SECTIONS: dict[str, type[_Section]] = {
    "env": EnvironmentSettings,
    "events_database": EventsDatabaseSettings,
    "preference_center": PreferenceCenterSettings,
    "predictive_segmentation": PredictiveSegmentationSettings,
    "predictive_engagement": PredictiveEngagementSettings,
}


# Keys that were renamed, -> their new name: a stack file with the old one gets told the new one.
RENAMED_KEYS = {f"{PROJECT}:predictiveSegmentationExisting{old}": f"{PROJECT}:eventsDatabaseExisting{new}"
                for old, new in (("EventsDatabase", "GlueDatabaseName"), ("EventsBucket", "BucketName"),
                                 ("EventsStreamArn", "StreamArn"), ("EventsKmsKeyArn", "KmsKeyArn"))}


def config_keys() -> dict[str, tuple[str, str]]:
    """Every accepted config key (as written in a stack file) -> (section, field name)."""
    keys: dict[str, tuple[str, str]] = {}
    for section, model in SECTIONS.items():
        for field_name, field in model.model_fields.items():
            alias = field.alias or field_name
            full = alias if ":" in alias else f"{PROJECT}:{alias}"
            keys[full] = (section, field_name)
    return keys


def _message(key: str, problem: str, fix: str) -> str:
    full = key if ":" in key else f"{PROJECT}:{key}"
    return f"config key '{full}' {problem}. Fix: {fix}"


def _is_array_field(section: str, field_name: str) -> bool:
    annotation = str(SECTIONS[section].model_fields[field_name].annotation)
    return annotation.startswith(("tuple", "list"))


def load_stack_config(raw: Mapping[str, Any]) -> StackConfig:
    """Validate raw stack config (namespaced keys, values as the CLI passes them: strings or JSON) into a model.

    Keys of other namespaces than ours and ``aws:region`` (providers' own settings) are left to their owners.
    """
    known = config_keys()
    sections: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
    for key, value in raw.items():
        namespace = key.split(":", 1)[0]
        if key not in known:
            if namespace != PROJECT:
                continue
            if key in RENAMED_KEYS:
                raise ConfigError(_message(
                    key, f"was renamed to '{RENAMED_KEYS[key]}': both predictive solutions read an existing events "
                         "database through the same eventsDatabaseExisting* keys",
                    f"`pulumi config rm {key}` and `pulumi config set {RENAMED_KEYS[key]} <value>`"))
            close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "see the config reference in README.md"
            raise ConfigError(f"config key '{key}' is not a setting of this project. Fix: {hint}")
        section, field_name = known[key]
        if isinstance(value, str) and _is_array_field(section, field_name):
            try:
                value = json.loads(value) if value.strip() else []
            except json.JSONDecodeError:
                raise ConfigError(_message(key, f"must be a list, got {value!r}",
                                           f"write it as a YAML list in the stack file, e.g. {key}: [a, b]"))
        alias = SECTIONS[section].model_fields[field_name].alias
        sections[section][alias] = value
    try:
        parsed = {name: SECTIONS[name].model_validate(values) for name, values in sections.items()}
    except ValidationError as error:
        raise ConfigError(_first_error(error)) from None
    return StackConfig(**parsed)


def _first_error(error: ValidationError) -> str:
    detail = error.errors()[0]
    alias = str(detail["loc"][0]) if detail["loc"] else "?"
    full = alias if ":" in alias else f"{PROJECT}:{alias}"
    reason = detail["msg"].removeprefix("Value error, ")
    fix = f"`pulumi config set {full} <value>`"
    if full in config_keys():
        section, field_name = config_keys()[full]
        default = SECTIONS[section].model_fields[field_name].default
        if default not in ("", None, ()):
            fix += f" with a valid value such as {json.dumps(list(default) if isinstance(default, tuple) else default)}"
    return _message(full, f"is invalid: {reason} (got {detail.get('input')!r})", fix)


def load_from_pulumi() -> StackConfig:
    """Read the running program's config (the CLI or the offline plan put it in the runtime) and validate it."""
    from pulumi.runtime import config as runtime_config

    raw: dict[str, Any] = dict(runtime_config.get_config_env())
    raw.update(runtime_config.CONFIG.get())
    config = load_stack_config(raw)
    from .config_stacks import check_events_database_unique, check_ses_publishers  # they read this module's model

    project, stack = pulumi.get_project(), pulumi.get_stack()
    check_events_database_unique(config, raw, project, stack, Path.cwd())
    check_ses_publishers(config, project, stack)
    # From here on `glue_database_name` is the name the stack really uses, for every reader of the config.
    events = config.events_database
    return config.model_copy(update={"events_database": events.model_copy(
        update={"glue_database_name": events.database_name(project, stack)})})

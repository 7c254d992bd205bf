"""The stack config model: shipped stacks are valid; every bad input stops with a message naming key and fix."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from components.config import PROJECT, ConfigError, config_keys, load_stack_config
from tools import config_reference
from tools.harness.project import load_project, stack_config

REPO_ROOT = Path(__file__).resolve().parents[2]

VALID_PROD = {"engagement:environment": "prod", "engagement:protectStatefulResources": "true",
              "engagement:alarmEmail": "oncall@example.com"}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_shipped_stack_files_are_valid(stack):
    # Given the stack file merged over Pulumi.yaml defaults, as the CLI merges them
    raw = stack_config(load_project(REPO_ROOT), stack)
    # When it is validated
    config = load_stack_config(raw)
    # Then the environment is the stack's and the events database and preference center are on
    assert config.env.environment == stack
    assert config.events_database.enabled and config.preference_center.enabled


def test_prod_stack_protects_state_and_keeps_logs_longer_than_dev():
    dev = load_stack_config(stack_config(load_project(REPO_ROOT), "dev"))
    prod = load_stack_config(stack_config(load_project(REPO_ROOT), "prod"))
    assert prod.env.protect_stateful_resources and not dev.env.protect_stateful_resources
    assert prod.env.log_retention_days > dev.env.log_retention_days
    assert prod.env.tags == {"cost-center": "marketing-platform", "data-classification": "confidential"}


BAD_CONFIGS = [
    ("typo_in_key", {"engagement:eventsDatabseEnabled": "true"},
     ["'engagement:eventsDatabseEnabled' is not a setting", "did you mean 'engagement:eventsDatabaseEnabled'"]),
    ("wrong_type_boolean", {"engagement:eventsDatabaseEnabled": "sometimes"},
     ["'engagement:eventsDatabaseEnabled' is invalid", "valid boolean"]),
    ("wrong_type_integer", {"engagement:logRetentionDays": "a week"},
     ["'engagement:logRetentionDays' is invalid", "valid integer", "such as 30"]),
    ("negative_retention", {"engagement:logRetentionDays": "-7"},
     ["'engagement:logRetentionDays'", "not a CloudWatch Logs retention period"]),
    ("retention_not_allowed_by_cloudwatch", {"engagement:logRetentionDays": "10"},
     ["'engagement:logRetentionDays'", "use one of"]),
    ("unknown_region", {"aws:region": "eu-wast-1"}, ["'aws:region'", "not an AWS region", "'eu-west-1'"]),
    ("malformed_email", {"engagement:alarmEmail": "oncall-at-example.com"},
     ["'engagement:alarmEmail' is invalid", "email"]),
    ("segmentation_without_events_database", {"engagement:predictiveSegmentationEnabled": "true",
                                              "engagement:predictiveSegmentationAttributesLocation": "s3://crm/c/"},
     ["'engagement:predictiveSegmentationEnabled' is true but the stack has no events database",
      "engagement:eventsDatabaseEnabled true", "engagement:eventsDatabaseExistingStackReference",
      "engagement:eventsDatabaseExistingGlueDatabaseName and engagement:eventsDatabaseExistingBucketName"]),
    ("existing_events_database_without_its_bucket", {
        "engagement:predictiveSegmentationEnabled": "true", "engagement:predictiveSegmentationAttributesLocation":
        "s3://crm/c/", "engagement:eventsDatabaseExistingGlueDatabaseName": "due_eventdb"},
     ["'engagement:eventsDatabaseExistingBucketName' is empty while eventsDatabaseExistingGlueDatabaseName is set"]),
    ("existing_events_database_without_its_database", {"engagement:eventsDatabaseExistingBucketName": "old-lake"},
     ["'engagement:eventsDatabaseExistingGlueDatabaseName' is empty while eventsDatabaseExistingBucketName is set"]),
    ("existing_events_stream_alone", {"engagement:eventsDatabaseExistingStreamArn":
                                      "arn:aws:firehose:us-east-1:123456789012:deliverystream/events"},
     ["'engagement:eventsDatabaseExistingGlueDatabaseName' is empty while eventsDatabaseExistingStreamArn is set"]),
    ("own_and_existing_events_database_names", {
        "engagement:eventsDatabaseEnabled": "true", "engagement:predictiveSegmentationEnabled": "true",
        "engagement:predictiveSegmentationAttributesLocation": "s3://crm/c/",
        "engagement:eventsDatabaseExistingBucketName": "old-lake"},
     ["'engagement:eventsDatabaseExistingBucketName' is set while eventsDatabaseEnabled is true",
      "`pulumi config rm engagement:eventsDatabaseExistingBucketName`"]),
    ("stack_reference_and_existing_names", {
        "engagement:eventsDatabaseExistingStackReference": "acme/engagement/prod",
        "engagement:eventsDatabaseExistingGlueDatabaseName": "due_eventdb",
        "engagement:eventsDatabaseExistingBucketName": "old-lake"},
     ["'engagement:eventsDatabaseExistingGlueDatabaseName' is set together with "
      "eventsDatabaseExistingStackReference", "`pulumi config rm engagement:eventsDatabaseExistingStackReference`"]),
    ("engagement_realtime_without_the_existing_bus", {
        "engagement:predictiveEngagementEnabled": "true",
        "engagement:eventsDatabaseExistingGlueDatabaseName": "due_eventdb",
        "engagement:eventsDatabaseExistingBucketName": "old-lake"},
     ["'engagement:eventsDatabaseExistingEventBusName' is empty",
      "engagement:predictiveEngagementRealtimeEnabled false"]),
    ("existing_events_key_given_as_an_alias", {
        "engagement:eventsDatabaseExistingKmsKeyArn": "arn:aws:kms:us-east-1:123456789012:alias/events"},
     ["'engagement:eventsDatabaseExistingKmsKeyArn'", "pattern"]),
    ("segmentation_only_key_of_before", {"engagement:predictiveSegmentationExistingEventsBucket": "old-lake"},
     ["'engagement:predictiveSegmentationExistingEventsBucket' was renamed to "
      "'engagement:eventsDatabaseExistingBucketName'"]),
    ("segmentation_without_attributes", {"engagement:eventsDatabaseEnabled": "true",
                                         "engagement:predictiveSegmentationEnabled": "true"},
     ["'engagement:predictiveSegmentationAttributesLocation' is empty", "s3://my-crm-exports/customers/"]),
    ("segmentation_unknown_numeric_column", {
        "engagement:eventsDatabaseEnabled": "true", "engagement:predictiveSegmentationEnabled": "true",
        "engagement:predictiveSegmentationAttributesLocation": "s3://crm/c/",
        "engagement:predictiveSegmentationNumericColumns": '["Attributes.accountlength"]'},
     ["'engagement:predictiveSegmentationNumericColumns' does not fit the attributes file",
      "did you mean 'Attributes.AccountLength'?"]),
    ("segmentation_label_used_as_feature", {
        "engagement:eventsDatabaseEnabled": "true", "engagement:predictiveSegmentationEnabled": "true",
        "engagement:predictiveSegmentationAttributesLocation": "s3://crm/c/",
        "engagement:predictiveSegmentationNumericColumns": '["Attributes.Churn"]'},
     ["cannot be a feature: it is the id, label or address column"]),
    ("segmentation_location_not_a_folder", {"engagement:predictiveSegmentationAttributesLocation": "s3://crm/c.csv"},
     ["'engagement:predictiveSegmentationAttributesLocation'", "pattern"]),
    ("segmentation_bad_instance_type", {"engagement:predictiveSegmentationTrainingInstanceType": "m5.large"},
     ["'engagement:predictiveSegmentationTrainingInstanceType'", "pattern"]),
    ("engagement_without_events_database", {"engagement:predictiveEngagementEnabled": "true"},
     ["'engagement:predictiveEngagementEnabled'", "no events database",
      "engagement:eventsDatabaseExistingStackReference", "engagement:eventsDatabaseExistingBucketName"]),
    ("both_own_and_existing_events_database", {"engagement:eventsDatabaseEnabled": "true",
                                               "engagement:eventsDatabaseExistingStackReference": "acme/eng/prod"},
     ["'engagement:eventsDatabaseExistingStackReference' is set while eventsDatabaseEnabled is true"]),
    ("buffering_below_dynamic_partitioning_minimum", {"engagement:eventsDatabaseBufferingIntervalSeconds": "30"},
     ["'engagement:eventsDatabaseBufferingIntervalSeconds'", "greater than or equal to 60"]),
    ("bad_glue_database_name", {"engagement:eventsDatabaseGlueDatabaseName": "Events-DB"},
     ["'engagement:eventsDatabaseGlueDatabaseName'", "pattern"]),
    ("environment_not_in_set", {"engagement:environment": "production"},
     ["'engagement:environment' is invalid", "'dev', 'staging' or 'prod'"]),
    ("prod_without_protection", {**VALID_PROD, "engagement:protectStatefulResources": "false"},
     ["'engagement:protectStatefulResources' is false in a prod stack"]),
    ("prod_without_alarm_email", {"engagement:environment": "prod",
                                  "engagement:protectStatefulResources": "true"},
     ["'engagement:alarmEmail' is empty in a prod stack"]),
    ("tag_without_equals", {"engagement:extraTags": '["team"]'}, ["'engagement:extraTags'", "not a `key=value` tag"]),
    ("list_key_given_a_scalar", {"engagement:eventsDatabaseExistingConfigurationSets": "marketing,ops"},
     ["'engagement:eventsDatabaseExistingConfigurationSets' must be a list"]),
    ("bad_configuration_set_name", {"engagement:eventsDatabaseExistingConfigurationSets": '["has space"]'},
     ["'engagement:eventsDatabaseExistingConfigurationSets'", "not an SES configuration set name"]),
    ("schedule_not_cron_or_rate", {"engagement:predictiveSegmentationSchedule": "daily at 3"},
     ["'engagement:predictiveSegmentationSchedule'", "pattern"]),
    ("one_model_retained_leaves_no_rollback", {"engagement:predictiveSegmentationModelsRetained": "1"},
     ["'engagement:predictiveSegmentationModelsRetained'", "greater than or equal to 2", "such as 3"]),
]


@pytest.mark.parametrize("raw,fragments", [(raw, fragments) for _, raw, fragments in BAD_CONFIGS],
                         ids=[case for case, _, _ in BAD_CONFIGS])
def test_bad_config_is_rejected_with_key_and_fix(raw, fragments):
    with pytest.raises(ConfigError) as error:
        load_stack_config(raw)
    message = str(error.value)
    for fragment in fragments:
        assert fragment in message
    assert "Fix:" in message


EXISTING_EVENTS_DATABASE = {
    "stack_reference": {"engagement:eventsDatabaseExistingStackReference": "acme/engagement/events"},
    "names": {"engagement:eventsDatabaseExistingGlueDatabaseName": "due_eventdb",
              "engagement:eventsDatabaseExistingBucketName": "old-lake",
              "engagement:eventsDatabaseExistingStreamArn":
                  "arn:aws:firehose:us-east-1:123456789012:deliverystream/due-events",
              "engagement:eventsDatabaseExistingEventBusName": "due-events",
              "engagement:eventsDatabaseExistingKmsKeyArn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd"},
}


@pytest.mark.parametrize("existing", list(EXISTING_EVENTS_DATABASE.values()), ids=list(EXISTING_EVENTS_DATABASE))
def test_both_predictive_solutions_accept_the_same_existing_events_database_keys(existing):
    # Given no events database of its own, both predictive solutions on, and one way of naming an existing one
    raw = {"engagement:predictiveSegmentationEnabled": "true",
           "engagement:predictiveSegmentationAttributesLocation": "s3://crm/c/",
           "engagement:predictiveEngagementEnabled": "true", **existing}
    # When it is validated, Then it is accepted, for each solution alone as for both
    config = load_stack_config(raw)
    assert config.events_database.readable and not config.events_database.enabled
    for alone in ("engagement:predictiveSegmentationEnabled", "engagement:predictiveEngagementEnabled"):
        assert load_stack_config({**raw, alone: "false"}).events_database.readable


def test_other_namespaces_are_left_to_their_owners():
    config = load_stack_config({"aws:profile": "marketing", "pulumi:tags": "{}", "engagement:owner": "crm"})
    assert config.env.owner == "crm"


def test_every_model_key_is_declared_in_pulumi_yaml_with_its_default():
    declared = yaml.safe_load((REPO_ROOT / "Pulumi.yaml").read_text())["config"]
    for key in config_keys():
        if key.startswith(f"{PROJECT}:"):
            assert key.split(":", 1)[1] in declared, f"{key} missing from Pulumi.yaml"
    assert declared == config_reference.render_pulumi_config()
    for entry in declared.values():
        assert {"type", "description", "default"} <= set(entry)


def test_readme_config_reference_is_generated_from_the_model():
    assert config_reference.main(["--check"]) == 0

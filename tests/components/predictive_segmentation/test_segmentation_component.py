"""PredictiveSegmentation under the mock runtime, as the dev and prod stacks deploy it."""
from __future__ import annotations

import hashlib
import json

from components import asl
from contracts import churn_scores

TYPE = "engagement:segmentation:PredictiveSegmentation"
MACHINE = "aws:sfn/stateMachine:StateMachine"
# Models are `churn-<10 hex of project/stack>-<version>`; prod's differs, so neither stack reaches the other's.
DEV_MODEL_PREFIX = f"churn-{hashlib.sha256(b'engagement/dev').hexdigest()[:10]}-"


def _statements(recording, name: str) -> list[dict]:
    return json.loads(recording.by_name(name).inputs["policy"])["Statement"]


def _definition(recording) -> dict:
    machine, = [r for r in recording.by_type(MACHINE) if r.name == "segmentation-pipeline"]
    return json.loads(machine.inputs["definition"])


def test_every_resource_belongs_to_the_component_and_is_tagged(dev_recording):
    component = dev_recording.by_name("segmentation", custom=False)
    assert component.type == TYPE
    descendants = dev_recording.descendants(component.urn)
    custom = [r for r in descendants if r.custom]
    assert len(custom) > 40
    for resource in custom:
        tags = resource.inputs.get("tags")
        if tags is not None:
            assert tags["solution"] == "predictive-segmentation", resource.urn


def test_one_profile_store_for_the_predictive_solutions(dev_recording):
    tables = [r for r in dev_recording.by_type("aws:dynamodb/table:Table") if r.name == "profiles-table"]
    assert len(tables) == 1
    writer, = [s for s in _statements(dev_recording, "segmentation-postprocess-policy")
               if s.get("Sid") == "ProfileStoreWrite"]
    assert writer["Resource"] == [tables[0].state["arn"]]


def test_definition_is_valid_bounded_and_encrypts_every_job(dev_recording):
    definition = _definition(dev_recording)
    assert asl.lint(definition) == []
    key = dev_recording.by_name("shared-data-key").state["arn"]
    states = definition["States"]
    train, transform, model = states["Train"]["Parameters"], states["Transform"]["Parameters"], \
        states["CreateModel"]["Parameters"]
    assert train["OutputDataConfig"]["KmsKeyId"] == key and train["ResourceConfig"]["VolumeKmsKeyId"] == key
    assert train["EnableNetworkIsolation"] is True and train["StoppingCondition"]["MaxRuntimeInSeconds"] == 10800
    assert transform["TransformOutput"]["KmsKeyId"] == key and transform["TransformResources"]["VolumeKmsKeyId"] == key
    assert model["EnableNetworkIsolation"] is True
    assert model["PrimaryContainer"]["Image"] == \
        "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:3.0-5"
    assert train["AlgorithmSpecification"]["TrainingImage"] == model["PrimaryContainer"]["Image"]
    assert json.loads(train["HyperParameters"]["sagemaker_submit_directory"]) == \
        "/opt/ml/input/data/code/sourcedir.tar.gz"
    code = next(r for r in dev_recording.by_type("aws:s3/bucketObjectv2:BucketObjectv2")
                if r.name == "segmentation-training-code")
    assert train["InputDataConfig"][1]["DataSource"]["S3DataSource"]["S3Uri"].endswith(code.inputs["key"])
    for name, state in states.items():
        if state["Type"] == "Task":
            assert state["TimeoutSeconds"] and state["Retry"], name
    assert definition["TimeoutSeconds"] <= 86400


def test_the_deployed_feature_sql_names_this_stacks_tables(dev_recording):
    sql = next(r for r in dev_recording.by_type("aws:s3/bucketObjectv2:BucketObjectv2")
               if r.name == "segmentation-feature-sql").inputs["content"]
    # The events database of this stack, by its per-stack name (issue 9: stacks in one account never collide)
    assert '"engagement_dev_events".email_open' in sql
    assert '"engagement_dev_segmentation"."customer_attributes"' in sql
    assert "${as_of}" in sql and "now()" not in sql.lower()


def test_state_machine_role_is_scoped_to_the_stacks_own_jobs_tables_and_roles(dev_recording):
    statements = {s["Sid"]: s for s in _statements(dev_recording, "segmentation-pipeline-policy")}
    # jobs carry the stack's prefix too: another stack's role can neither describe nor stop them
    assert statements["TrainingJobs"]["Resource"] == [
        f"arn:aws:sagemaker:us-east-1:123456789012:training-job/{DEV_MODEL_PREFIX}train-*"]
    assert statements["TransformJobs"]["Resource"] == [
        f"arn:aws:sagemaker:us-east-1:123456789012:transform-job/{DEV_MODEL_PREFIX}score-*"]
    prepare_env = dev_recording.by_name("segmentation-prepare").inputs["environment"]["variables"]
    assert prepare_env["JOB_NAME_PREFIX"] == DEV_MODEL_PREFIX
    assert statements["ModelPerPromotedVersion"]["Resource"] == [
        f"arn:aws:sagemaker:us-east-1:123456789012:model/{DEV_MODEL_PREFIX}*"]
    passrole = statements["PassTheJobRoles"]
    assert passrole["Condition"] == {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}
    assert sorted(passrole["Resource"]) == sorted([dev_recording.by_name("segmentation-model-role").state["arn"],
                                                   dev_recording.by_name("segmentation-training-role").state["arn"]])
    assert statements["OwnWorkgroup"]["Resource"] == [
        "arn:aws:athena:us-east-1:123456789012:workgroup/engagement-dev-segmentation"]
    wildcard = {sid for sid, s in statements.items() if "*" in s["Resource"]}
    assert wildcard == {"LogDeliveryHasNoResourceArn", "XRayHasNoResourceArn"}


def test_lambda_roles_reach_only_their_prefixes(dev_recording):
    bucket = dev_recording.by_name("segmentation-data").state["arn"]
    prepare = {s["Sid"]: s for s in _statements(dev_recording, "segmentation-prepare-policy")}
    assert prepare["EmptyTheRunsScratch"]["Resource"] == [f"{bucket}/{churn_scores.RUNS_PREFIX}*"]
    promote = {s["Sid"]: s for s in _statements(dev_recording, "segmentation-promote-policy")}
    assert sorted(promote["WriteRegistryAndPointer"]["Resource"]) == [f"{bucket}/models/current/*",
                                                                      f"{bucket}/models/registry/*"]
    # Model retention: list everything (no resource-level permission), delete only this stack's Models.
    assert promote["ListModelsHasNoResourceArn"]["Action"] == ["sagemaker:ListModels"]
    assert promote["DeleteOldModelsOfThisStack"]["Action"] == ["sagemaker:DeleteModel"]
    assert promote["DeleteOldModelsOfThisStack"]["Resource"] == [
        f"arn:aws:sagemaker:us-east-1:123456789012:model/{DEV_MODEL_PREFIX}*"]
    env = dev_recording.by_name("segmentation-promote").inputs["environment"]["variables"]
    assert (env["MODEL_NAME_PREFIX"], env["MODELS_RETAINED"]) == (DEV_MODEL_PREFIX, "3")
    postprocess = {s["Sid"]: s for s in _statements(dev_recording, "segmentation-postprocess-policy")}
    assert postprocess["SummaryEvent"]["Resource"] == [
        dev_recording.by_name("events-stream").state["arn"]]  # the trusted producers' stream
    assert "CustomerProfiles" not in postprocess  # dev does not export to Customer Profiles


def test_sagemaker_roles_trust_sagemaker_of_this_account_only(dev_recording):
    for role in ("segmentation-model-role", "segmentation-training-role"):
        trust = json.loads(dev_recording.by_name(role).inputs["assumeRolePolicy"])["Statement"][0]
        assert trust["Principal"] == {"Service": "sagemaker.amazonaws.com"}
        assert trust["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}


def test_schedules_dev_daily_prod_daily_and_weekly_retraining(dev_recording, prod_recording):
    def schedules(recording):
        return {r.name: r.inputs for r in recording.by_type("aws:scheduler/schedule:Schedule")
                if r.name.startswith("segmentation-")}

    dev = schedules(dev_recording)
    assert list(dev) == ["segmentation-pipeline-daily-scoring"]
    assert json.loads(dev["segmentation-pipeline-daily-scoring"]["target"]["input"]) == {
        "mode": "score", "scheduled_time": "<aws.scheduler.scheduled-time>"}
    prod = schedules(prod_recording)
    retraining = prod["segmentation-pipeline-retraining"]
    assert retraining["scheduleExpression"] == "cron(0 2 ? * SUN *)"
    assert retraining["scheduleExpressionTimezone"] == "Europe/Berlin"
    assert json.loads(retraining["target"]["input"])["mode"] == "retrain"


def test_attributes_table_reads_csv_in_dev_and_parquet_by_position_in_prod(dev_recording, prod_recording):
    dev = dev_recording.by_name("segmentation-attributes-table").inputs
    assert dev["parameters"]["skip.header.line.count"] == "1"
    assert [c["name"] for c in dev["storageDescriptor"]["columns"]][:4] == [
        "channeltype", "id", "address", "attributes_accountlength"]
    assert dev["storageDescriptor"]["columns"][3]["comment"] == "Attributes.AccountLength"
    prod = prod_recording.by_name("segmentation-attributes-table").inputs
    assert prod["parameters"]["parquet.column.index.access"] == "true"
    types = {c["name"]: c["type"] for c in prod["storageDescriptor"]["columns"]}
    assert (types["monthly_spend"], types["plan"]) == ("double", "string")


def test_score_tables_use_partition_projection_and_the_contract_columns(dev_recording):
    history = dev_recording.by_name("segmentation-churn-scores-table").inputs
    assert history["parameters"]["projection.dt.type"] == "date"
    assert [c["name"] for c in history["storageDescriptor"]["columns"]] == [n for n, _ in churn_scores.SCORE_COLUMNS]
    latest = dev_recording.by_name("segmentation-churn-scores-latest-table").inputs
    assert latest["storageDescriptor"]["location"].endswith("/scores/latest/") and not latest.get("partitionKeys")


def test_run_features_table_reads_what_the_feature_query_unloads_for_the_run_it_is_asked_about(dev_recording):
    from components.config import PredictiveSegmentationSettings

    table = dev_recording.by_name("segmentation-run-features-table").inputs
    spec = PredictiveSegmentationSettings().feature_spec()
    columns = [c["name"] for c in table["storageDescriptor"]["columns"]]
    assert columns[:3] == ["customer_id", "address", "label"] and len(columns) == len(spec.output_columns)
    assert table["parameters"]["projection.run_id.type"] == "injected"
    assert table["parameters"]["storage.location.template"].endswith(
        churn_scores.run_prefixes("${run_id}")["features"])
    assert table["storageDescriptor"]["serDeInfo"]["serializationLibrary"] == "org.openx.data.jsonserde.JsonSerDe"
    states = _definition(dev_recording)["States"]
    # the queries that feed Score run after the feature query, on the model the run uses, before the transform
    assert states["FeaturesDone"]["Next"] == "ScoringQueries" and states["DriftDone"]["Next"] == "Transform"
    assert states["ScoringQueries"]["Next"] == "CompanionStart"
    assert states["ScoringQueries"]["Parameters"]["Payload"]["action"] == "scoring_queries"
    assert states["CompanionStart"]["Parameters"]["QueryString.$"] == "$.scoring_queries.Payload.companion_query"
    assert states["DriftStart"]["Parameters"]["QueryString.$"] == "$.scoring_queries.Payload.drift_query"


def test_scratch_and_history_expire(dev_recording):
    rules = {r["id"]: r for r in dev_recording.by_name("segmentation-data-lifecycle").inputs["rules"]}
    assert rules["expire-run-scratch"]["expiration"]["days"] == 3  # Pulumi.dev.yaml
    assert rules["expire-score-history"]["expiration"]["days"] == 30
    assert rules["expire-athena-results"]["filter"]["prefix"] == "athena-results/"


def test_prod_exports_to_an_encrypted_customer_profiles_domain(prod_recording):
    domain = prod_recording.by_name("segmentation-profiles").inputs
    assert domain["defaultEncryptionKey"] == prod_recording.by_name("shared-data-key").state["arn"]
    assert domain["defaultExpirationDays"] == 365
    assert domain["deadLetterQueueUrl"] == prod_recording.by_name("segmentation-profiles-dlq").state["url"]
    statement, = [s for s in _statements(prod_recording, "segmentation-postprocess-policy")
                  if s["Sid"] == "CustomerProfiles"]
    assert all(r.startswith(domain_arn := prod_recording.by_name("segmentation-profiles").state["arn"])
               for r in statement["Resource"]) and domain_arn
    assert "CustomerProfiles" in _definition(prod_recording)["States"]


def test_alarms_on_backtest_drift_refusal_and_failed_executions(dev_recording):
    alarms = {r.name: r.inputs for r in dev_recording.by_type("aws:cloudwatch/metricAlarm:MetricAlarm")
              if r.name.startswith("segmentation-")}
    assert alarms["segmentation-backtest-lift"]["threshold"] == 1.5
    assert alarms["segmentation-backtest-lift"]["comparisonOperator"] == "LessThanThreshold"
    assert alarms["segmentation-feature-drift"]["threshold"] == 0.25
    assert alarms["segmentation-promotion-refused"]["dimensions"] == {"service": "predictive_segmentation_promote"}
    assert alarms["segmentation-model-cleanup-failed"]["metricName"] == "ModelCleanupFailed"
    assert {"segmentation-pipeline-executions-failed", "segmentation-pipeline-executions-timed-out",
            "segmentation-pipeline-executions-aborted"} <= set(alarms)


def test_stateful_resources_are_protected_in_prod(prod_recording):
    assert prod_recording.by_name("segmentation-data").protect is True
    assert prod_recording.by_name("segmentation-database").protect is True
    assert prod_recording.by_name("profiles-table").protect is True


def test_every_policy_resource_is_an_arn_or_an_allowed_wildcard(dev_recording, prod_recording):
    allowed_wildcards = {"LogDeliveryHasNoResourceArn", "XRayHasNoResourceArn", "XRayTracesHaveNoResourceArn",
                         "EcrLoginHasNoResourceArn", "JobMetricsHaveNoResourceArn", "ListModelsHasNoResourceArn"}
    for recording in (dev_recording, prod_recording):
        component = recording.by_name("segmentation", custom=False)
        policies = [r for r in recording.descendants(component.urn) if r.type == "aws:iam/rolePolicy:RolePolicy"]
        assert len(policies) == 7  # 3 functions, 2 SageMaker roles, the state machine, the scheduler
        for policy in policies:
            for statement in json.loads(policy.inputs["policy"])["Statement"]:
                for resource in statement["Resource"]:
                    assert resource.startswith("arn:aws:") or (
                        resource == "*" and statement["Sid"] in allowed_wildcards), (policy.name, statement)

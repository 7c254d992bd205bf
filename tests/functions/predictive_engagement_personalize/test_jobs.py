"""The Personalize steps with botocore's Stubber (moto has no Personalize) and moto S3 for the model state.

Stubber checks every request against the service model and the exact parameters we expect, so these tests pin
what the deployed function asks Personalize for: automatic training off, the configured cadence, idempotent
starts, the promotion margin, the batch job's KMS, filter and item count.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from botocore.stub import ANY, Stubber
from moto import mock_aws

from functions.predictive_engagement_personalize import handler, jobs, settings

ACCOUNT, REGION = "123456789012", "us-east-1"
ARN = f"arn:aws:personalize:{REGION}:{ACCOUNT}"
SOLUTION = f"{ARN}:solution/engagement-dev-aws-user-personalization-v2"
VERSION = f"{SOLUTION}/abc123"
OLD_VERSION = f"{SOLUTION}/old999"
NOW = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)
ENV = {"DATASET_GROUP_ARN": f"{ARN}:dataset-group/engagement-dev",
       "INTERACTIONS_DATASET_ARN": f"{ARN}:dataset/engagement-dev/INTERACTIONS",
       "PERSONALIZE_ROLE_ARN": f"arn:aws:iam::{ACCOUNT}:role/personalize", "NAME_PREFIX": "engagement-dev",
       "KMS_KEY_ARN": f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k", "RECIPE": "aws-user-personalization-v2",
       "FILTER_ARN": f"{ARN}:filter/engagement-dev-exclude-interacted", "RECOMMENDATION_COUNT": "10",
       "TRAINING_INTERVAL_DAYS": "7", "PROMOTION_MARGIN_PERCENT": "2", "WORK_BUCKET": "work"}


@pytest.fixture
def aws(monkeypatch):
    for key, value in {**ENV, "AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": REGION,
                       "POWERTOOLS_TRACE_DISABLED": "true"}.items():
        monkeypatch.setenv(key, value)
    settings.reset()
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket="work")
        personalize = boto3.client("personalize")
        with Stubber(personalize) as stub:
            clients = {"s3": s3, "personalize": personalize}
            monkeypatch.setattr(jobs, "client", clients.__getitem__)
            yield stub, s3
            stub.assert_no_pending_responses()
    settings.reset()


def promoted(s3, version=OLD_VERSION, **metrics):
    state = {"solution_version_arn": version, "metrics": {"precision_at_10": 0.10,
             "normalized_discounted_cumulative_gain_at_10": 0.20, "coverage": 0.50, **metrics}}
    s3.put_object(Bucket="work", Key="predictive-engagement/state/model.json", Body=json.dumps(state))


def existing_solution(stub, auto_training=False, status="ACTIVE"):
    stub.add_client_error("create_solution", "ResourceAlreadyExistsException")
    stub.add_response("describe_solution", {"solution": {"solutionArn": SOLUTION, "status": status,
                                                         "performAutoTraining": auto_training}},
                      {"solutionArn": SOLUTION})


def versions(stub, *entries):
    stub.add_response("list_solution_versions", {"solutionVersions": [
        {"solutionVersionArn": arn, "status": status, "creationDateTime": when} for arn, status, when in entries]},
        {"solutionArn": SOLUTION})


def test_first_run_creates_the_solution_with_automatic_training_off_and_trains(aws):
    stub, _ = aws
    stub.add_response("create_solution", {"solutionArn": SOLUTION}, {
        "name": "engagement-dev-aws-user-personalization-v2", "datasetGroupArn": ENV["DATASET_GROUP_ARN"],
        "recipeArn": "arn:aws:personalize:::recipe/aws-user-personalization-v2", "performAutoTraining": False,
        "performHPO": False})
    versions(stub)
    plan = jobs.plan_training(settings.settings(), NOW)
    assert plan == {"solution_arn": SOLUTION, "solution_status": "CREATE PENDING", "created": True, "train": True,
                    "reason": "no promoted model yet", "current_version": ""}


def test_existing_solution_with_automatic_training_is_refused(aws):
    stub, _ = aws
    existing_solution(stub, auto_training=True)
    with pytest.raises(jobs.AutoTrainingOn, match="automatic training on .* every 7 days"):
        jobs.plan_training(settings.settings(), NOW)


@pytest.mark.parametrize(("age_days", "train"), [(6, False), (7, True), (30, True)])
def test_training_follows_the_configured_interval(aws, age_days, train):
    stub, s3 = aws
    promoted(s3)
    existing_solution(stub)
    versions(stub, (OLD_VERSION, "ACTIVE", NOW - timedelta(days=age_days)))
    plan = jobs.plan_training(settings.settings(), NOW)
    assert plan["train"] is train and plan["current_version"] == OLD_VERSION


def test_interval_zero_never_retrains_once_a_model_exists(aws, monkeypatch):
    stub, s3 = aws
    monkeypatch.setenv("TRAINING_INTERVAL_DAYS", "0")
    settings.reset()
    promoted(s3)
    existing_solution(stub)
    versions(stub, (OLD_VERSION, "ACTIVE", NOW - timedelta(days=400)))
    assert jobs.plan_training(settings.settings(), NOW)["train"] is False


def test_training_waits_for_a_solution_still_being_created(aws):
    stub, _ = aws
    stub.add_response("describe_solution", {"solution": {"status": "CREATE IN_PROGRESS"}}, {"solutionArn": SOLUTION})
    with pytest.raises(jobs.SolutionNotReady):
        jobs.start_training(settings.settings(), SOLUTION, "20261206T040000Z")


def test_a_retried_training_step_never_starts_a_second_training(aws):
    stub, _ = aws
    stub.add_response("describe_solution", {"solution": {"status": "ACTIVE"}}, {"solutionArn": SOLUTION})
    versions(stub, (VERSION, "CREATE IN_PROGRESS", NOW))
    assert jobs.start_training(settings.settings(), SOLUTION, "20261206T040000Z") == {"solution_version_arn": VERSION}


def test_training_starts_a_full_solution_version(aws):
    stub, _ = aws
    stub.add_response("describe_solution", {"solution": {"status": "ACTIVE"}}, {"solutionArn": SOLUTION})
    versions(stub, (OLD_VERSION, "ACTIVE", NOW - timedelta(days=8)))
    stub.add_response("create_solution_version", {"solutionVersionArn": VERSION}, {
        "solutionArn": SOLUTION, "trainingMode": "FULL", "name": "engagement-dev-train-20261206T040000Z"})
    assert jobs.start_training(settings.settings(), SOLUTION, "20261206T040000Z") == {"solution_version_arn": VERSION}


def metrics(stub, **values):
    stub.add_response("get_solution_metrics", {"solutionVersionArn": VERSION, "metrics": {
        "precision_at_10": 0.10, "normalized_discounted_cumulative_gain_at_10": 0.20, "coverage": 0.50,
        "mean_reciprocal_rank_at_25": 0.3, **values}}, {"solutionVersionArn": VERSION})


@pytest.mark.parametrize(("candidate", "promote"), [
    ({}, True),                                   # equal
    ({"precision_at_10": 0.0981}, True),          # 1.9 % worse: within the 2 % margin
    ({"precision_at_10": 0.0979}, False),         # 2.1 % worse
    ({"coverage": 0.40}, False),                  # coverage collapsed
    ({"normalized_discounted_cumulative_gain_at_10": 0.25}, True)])
def test_promotion_needs_every_metric_within_the_margin(aws, candidate, promote):
    stub, s3 = aws
    promoted(s3)
    metrics(stub, **candidate)
    result = jobs.compare_and_promote(settings.settings(), VERSION, NOW)
    state = json.loads(s3.get_object(Bucket="work", Key="predictive-engagement/state/model.json")["Body"].read())
    assert result["promoted"] is promote
    assert result["model_version"] == state["solution_version_arn"] == (VERSION if promote else OLD_VERSION)
    if not promote:
        assert result["reason"].startswith("kept the current model")


def test_promotion_moves_the_campaign_when_one_is_deployed(aws, monkeypatch):
    stub, s3 = aws
    monkeypatch.setenv("CAMPAIGN_ARN", f"{ARN}:campaign/engagement-dev-campaign")
    settings.reset()
    metrics(stub)
    stub.add_response("update_campaign", {"campaignArn": f"{ARN}:campaign/engagement-dev-campaign"},
                      {"campaignArn": f"{ARN}:campaign/engagement-dev-campaign", "solutionVersionArn": VERSION})
    assert jobs.compare_and_promote(settings.settings(), VERSION, NOW)["reason"] == "first model"


def test_import_is_idempotent_for_a_retried_step(aws):
    stub, _ = aws
    expected = {"jobName": "engagement-dev-import-20261206T040000Z", "datasetArn": ENV["INTERACTIONS_DATASET_ARN"],
                "dataSource": {"dataLocation": "s3://work/runs/x/interactions/"}, "roleArn": ENV["PERSONALIZE_ROLE_ARN"],
                "importMode": "FULL"}
    stub.add_client_error("create_dataset_import_job", "ResourceAlreadyExistsException", expected_params=expected)
    result = jobs.start_import(settings.settings(), "20261206T040000Z", "s3://work/runs/x/interactions/")
    arn = f"{ARN}:dataset-import-job/engagement-dev-import-20261206T040000Z"
    assert result == {"job_arn": arn, "job_arns": [arn]}


def test_catalogue_files_present_are_imported_into_their_datasets(aws, monkeypatch):
    stub, s3 = aws
    monkeypatch.setenv("ITEMS_DATASET_ARN", f"{ARN}:dataset/engagement-dev/ITEMS")
    monkeypatch.setenv("USERS_DATASET_ARN", f"{ARN}:dataset/engagement-dev/USERS")
    settings.reset()
    s3.put_object(Bucket="work", Key="predictive-engagement/catalogue/items.csv",
                  Body=b"ITEM_ID,CATEGORY_L1,CREATION_TIMESTAMP\nA,shoes,1772400000\n")
    for kind, dataset, location in (("import", "INTERACTIONS", "s3://work/runs/x/interactions/"),
                                    ("import-items", "ITEMS", "s3://work/predictive-engagement/catalogue/items.csv")):
        stub.add_response("create_dataset_import_job", {"datasetImportJobArn": f"{ARN}:dataset-import-job/{kind}"}, {
            "jobName": f"engagement-dev-{kind}-20261206T040000Z", "datasetArn": f"{ARN}:dataset/engagement-dev/{dataset}",
            "dataSource": {"dataLocation": location}, "roleArn": ENV["PERSONALIZE_ROLE_ARN"], "importMode": "FULL"})
    result = jobs.start_import(settings.settings(), "20261206T040000Z", "s3://work/runs/x/interactions/")
    assert result["job_arns"] == [f"{ARN}:dataset-import-job/import", f"{ARN}:dataset-import-job/import-items"]


def test_two_runs_of_a_day_get_their_own_jobs_with_the_longest_prefix_the_stack_passes(aws, monkeypatch):
    # Job names are never cut (a cut run id would make the second run of a day find the first run's job existing
    # and reuse its older import): the longest NAME_PREFIX the settings accept still leaves the whole run id.
    stub, s3 = aws
    prefix = "a" * 31
    monkeypatch.setenv("NAME_PREFIX", prefix)
    monkeypatch.setenv("ITEMS_DATASET_ARN", f"{ARN}:dataset/engagement-dev/ITEMS")
    settings.reset()
    s3.put_object(Bucket="work", Key="predictive-engagement/catalogue/items.csv", Body=b"ITEM_ID\nA\n")
    names = []
    for run_id in ("20261206T040000Z", "20261206T160000Z"):
        for kind in ("import", "import-items"):
            name = f"{prefix}-{kind}-{run_id}"
            names.append(name)
            stub.add_response("create_dataset_import_job", {"datasetImportJobArn": f"{ARN}:dataset-import-job/{name}"},
                              {"jobName": name, "datasetArn": ANY, "dataSource": ANY, "roleArn": ANY, "importMode": "FULL"})
        jobs.start_import(settings.settings(), run_id, "s3://work/runs/x/interactions/")
    assert len(set(names)) == 4 and max(map(len, names)) <= 63


@pytest.mark.parametrize(("statuses", "expected"), [(["ACTIVE", "ACTIVE"], "SUCCEEDED"),
                                                    (["ACTIVE", "CREATE IN_PROGRESS"], "RUNNING"),
                                                    (["CREATE IN_PROGRESS", "CREATE FAILED"], "FAILED")])
def test_the_run_waits_for_every_import_and_fails_if_one_fails(aws, lambda_context, statuses, expected):
    stub, _ = aws
    arns = [f"{ARN}:dataset-import-job/a", f"{ARN}:dataset-import-job/b"]
    for arn, status in zip(arns, statuses):
        stub.add_response("describe_dataset_import_job", {"datasetImportJob": {"datasetImportJobArn": arn,
                                                                                 "status": status}},
                          {"datasetImportJobArn": arn})
    assert handler.lambda_handler({"action": "describe_import", "arns": arns}, lambda_context)["status"] == expected


def test_batch_job_uses_the_filter_the_key_and_the_configured_count(aws):
    stub, _ = aws
    stub.add_response("create_batch_inference_job", {"batchInferenceJobArn": f"{ARN}:batch-inference-job/b"}, {
        "jobName": "engagement-dev-batch-20261206T040000Z", "solutionVersionArn": VERSION, "numResults": 10,
        "filterArn": ENV["FILTER_ARN"], "roleArn": ENV["PERSONALIZE_ROLE_ARN"],
        "jobInput": {"s3DataSource": {"path": "s3://work/in/users.jsonl", "kmsKeyArn": ENV["KMS_KEY_ARN"]}},
        "jobOutput": {"s3DataDestination": {"path": "s3://work/out/", "kmsKeyArn": ENV["KMS_KEY_ARN"]}}})
    jobs.start_batch(settings.settings(), "20261206T040000Z", VERSION, "s3://work/in/users.jsonl", "s3://work/out/")


@pytest.mark.parametrize(("status", "reason", "expected"), [
    ("ACTIVE", None, "SUCCEEDED"), ("CREATE PENDING", None, "RUNNING"), ("CREATE IN_PROGRESS", None, "RUNNING"),
    ("CREATE FAILED", "Input data has fewer than 1000 interactions", "FAILED"), ("CREATE STOPPED", None, "FAILED"),
    ("SOMETHING NEW", None, "FAILED")])
def test_every_import_status_maps_to_a_workflow_state(aws, lambda_context, status, reason, expected):
    stub, _ = aws
    job = {"datasetImportJobArn": f"{ARN}:dataset-import-job/j", "status": status}
    if reason:
        job["failureReason"] = reason
    stub.add_response("describe_dataset_import_job", {"datasetImportJob": job},
                      {"datasetImportJobArn": f"{ARN}:dataset-import-job/j"})
    result = handler.lambda_handler({"action": "describe_import", "arns": [f"{ARN}:dataset-import-job/j"]},
                                    lambda_context)
    assert result["status"] == expected
    if reason:
        assert result["failure_reason"] == reason


@pytest.mark.parametrize("event", [{"action": "train_everything"}, {"action": "describe_batch", "arn": "not-an-arn"},
                                   {"action": "start_import", "run_id": "x", "location": "s3://work/x/"}, {}])
def test_unknown_or_malformed_actions_are_refused_before_any_call(aws, lambda_context, event):
    with pytest.raises(Exception, match="validation error"):
        handler.lambda_handler(event, lambda_context)


def test_handler_dispatches_plan_training(aws, lambda_context):
    stub, s3 = aws
    promoted(s3)
    existing_solution(stub)
    versions(stub, (OLD_VERSION, "ACTIVE", datetime.now(UTC) - timedelta(days=1)))
    result = handler.lambda_handler({"action": "plan_training"}, lambda_context)
    assert result["train"] is False and result["solution_arn"] == SOLUTION

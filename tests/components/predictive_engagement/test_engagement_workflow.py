"""The deployed state machine definition, executed in moto's Step Functions interpreter with the real handlers.

The Athena UNLOAD is forwarded to moto's Athena (which succeeds without running SQL), so the test plays Athena's
part: when the Plan step has named the run, the UNLOAD output (the interactions SQL run on DuckDB over a lake the
real events transform built) is put where the UNLOAD would write it. Personalize is tests/.../fake_personalize.
"""
from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from components import asl
from components.predictive_engagement import workflow
from contracts import personalize as contract
from contracts import profile_store
from functions.predictive_engagement_export import handler as export_handler
from functions.predictive_engagement_export import settings as export_settings
from functions.predictive_engagement_personalize import handler as personalize_handler
from functions.predictive_engagement_personalize import jobs
from functions.predictive_engagement_personalize import settings as personalize_settings
from functions.predictive_engagement_writer import handler as writer_handler
from functions.predictive_engagement_writer import settings as writer_settings
from tools import preference_seed
from tools.local_stepfunctions import create_function, create_state_machine, moto_workflows, run
from tools.predictive_engagement_local import build_lake, unload_rows

from .fake_personalize import FakePersonalize

FAST = workflow.Timing(export_poll=1, export_polls=3, import_poll=1, import_polls=3, training_poll=1, training_polls=3, batch_poll=1, batch_polls=3,
                       execution_timeout=600)
SOLUTION = "arn:aws:personalize:us-east-1:123456789012:solution/engagement-test-aws-user-personalization-v2"
ENV = {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1",
       "WORK_BUCKET": "work", "INTERACTIONS_SELECT": "SELECT 1", "PROFILE_TABLE": "profiles",
       "DATASET_GROUP_ARN": "arn:aws:personalize:us-east-1:123456789012:dataset-group/engagement-test",
       "INTERACTIONS_DATASET_ARN": "arn:aws:personalize:us-east-1:123456789012:dataset/engagement-test/INTERACTIONS",
       "PERSONALIZE_ROLE_ARN": "arn:aws:iam::123456789012:role/personalize", "NAME_PREFIX": "engagement-test",
       "KMS_KEY_ARN": "arn:aws:kms:us-east-1:123456789012:key/k", "RECIPE": "aws-user-personalization-v2",
       "RECOMMENDATION_COUNT": "10", "TRAINING_INTERVAL_DAYS": "7", "PROMOTION_MARGIN_PERCENT": "2",
       "EVENTS_STREAM_NAME": preference_seed.Names().events_stream, "POWERTOOLS_TRACE_DISABLED": "true"}


@pytest.fixture(scope="module")
def unload(tmp_path_factory):
    con, _ = build_lake(tmp_path_factory.mktemp("lake"), users=80, items=40, per_user=16, seed=11)
    return [json.dumps(r) + "\n" for r in unload_rows(con)]


def test_definition_passes_statelint():
    machine = workflow.definition("arn:aws:lambda:us-east-1:1:function:e", "arn:aws:lambda:us-east-1:1:function:p",
                                  "arn:aws:lambda:us-east-1:1:function:w", "wg", "db")
    assert asl.lint(machine) == []
    polls = [s for s in machine["States"].values() if s["Type"] == "Choice" and s.get("Default", "").endswith("UnexpectedStatus")]
    assert len(polls) == 4  # Athena, import, training, batch: each bounded, each failure its own Fail state
    assert machine["TimeoutSeconds"] == 24 * 3600


class Stack:
    def __init__(self, monkeypatch, unload_lines, fake_kwargs):
        self.monkeypatch, self.unload_lines = monkeypatch, unload_lines
        self.s3, self.dynamodb = boto3.client("s3"), boto3.client("dynamodb")
        self.s3.create_bucket(Bucket="work")
        self.dynamodb.create_table(
            TableName="profiles", BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": profile_store.HASH_KEY, "KeyType": "HASH"},
                       {"AttributeName": profile_store.RANGE_KEY, "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"}
                                  for k in (profile_store.HASH_KEY, profile_store.RANGE_KEY)])
        boto3.client("athena").create_work_group(Name="wg", Configuration={})
        preference_seed.create_events_stream(self.s3, boto3.client("firehose"))
        self.personalize = FakePersonalize(self.s3, **fake_kwargs)
        monkeypatch.setattr(jobs, "client", lambda name: self.personalize if name == "personalize" else boto3.client(name))
        arns = [create_function(n) for n in ("engagement-export", "engagement-personalize", "engagement-writer")]
        self.machine = create_state_machine(workflow.definition(*arns, "wg", "due_eventdb", FAST))

    def export(self, event, context):
        """The real export handler; after Plan, Athena's UNLOAD output appears under the run's prefix."""
        result = export_handler.lambda_handler(event, context)
        if event.get("action") == "plan" and self.unload_lines is not None:
            bucket, _, prefix = result["unload_prefix"].removeprefix("s3://").partition("/")
            self.s3.put_object(Bucket=bucket, Key=f"{prefix}0000_part.gz",
                               Body=gzip.compress("".join(self.unload_lines).encode()))
        return result

    def state(self):
        obj = self.s3.get_object(Bucket="work", Key="predictive-engagement/state/model.json")
        return json.loads(obj["Body"].read())

    def profiles(self):
        items = self.dynamodb.scan(TableName="profiles")["Items"]
        promoted = profile_store.promoted_run(self.dynamodb, "profiles", contract.NAMESPACE)
        return {i["customer_id"]["S"]: profile_store.effective(i, promoted) for i in items
                if i["customer_id"]["S"] != profile_store.POINTER_ID}


@pytest.fixture
def stack(monkeypatch, unload):
    # Wait states are recorded instead of slept: the definition's waits are checked, the suite stays fast.
    from moto.stepfunctions.parser.asl.component.state.wait.wait_function.wait_function import WaitFunction

    waits: list[int] = []
    monkeypatch.setattr(WaitFunction, "_wait_interval", lambda self, env, wait_seconds: waits.append(wait_seconds))
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)
    for module in (export_settings, personalize_settings, writer_settings):
        module.reset()

    def make(unload_lines=unload, **fake_kwargs):
        holder["stack"] = Stack(monkeypatch, unload_lines, fake_kwargs)
        holder["stack"].waits = waits
        return holder["stack"]

    holder: dict = {}
    handlers = {"engagement-export": lambda e, c: holder["stack"].export(e, c),
                "engagement-personalize": personalize_handler.lambda_handler,
                "engagement-writer": writer_handler.lambda_handler}
    with moto_workflows(handlers):
        yield make
    for module in (export_settings, personalize_settings, writer_settings):
        module.reset()


def test_first_run_trains_without_automatic_training_promotes_and_writes_every_user(stack):
    s = stack(statuses={"import": ["CREATE IN_PROGRESS", "ACTIVE"], "training": ["CREATE IN_PROGRESS", "ACTIVE"]})
    execution = run(s.machine, {})
    assert execution.status == "SUCCEEDED", (execution.error, execution.cause)
    create, = s.personalize.calls["create_solution"]
    assert create["performAutoTraining"] is False and create["recipeArn"].endswith("/aws-user-personalization-v2")
    assert len(s.personalize.calls["create_solution_version"]) == 1
    batch, = s.personalize.calls["create_batch_inference_job"]
    assert batch["solutionVersionArn"] == s.state()["solution_version_arn"] and batch["numResults"] == 10
    profiles = s.profiles()
    users = {json.loads(line)["user_id"] for line in s.unload_lines}
    assert set(profiles) == users and all(len(p.attributes["recommended_items"]) == 10 for p in profiles.values())
    assert execution.output["write"]["Payload"]["written"] == len(users)
    assert set(s.waits) == {1}  # every poll waited its interval (FAST timing) before describing


def test_a_run_inside_the_training_interval_reuses_the_promoted_model(stack):
    s = stack(solution_exists=True)
    current = s.personalize.add_version(SOLUTION, "current", datetime.now(UTC) - timedelta(days=2))
    s.s3.put_object(Bucket="work", Key="predictive-engagement/state/model.json", Body=json.dumps(
        {"solution_version_arn": current, "metrics": dict(s.personalize.metrics)}))
    execution = run(s.machine, {})
    assert execution.status == "SUCCEEDED", execution.cause
    assert s.personalize.calls["create_solution_version"] == []  # no training bill this run
    assert s.personalize.calls["create_batch_inference_job"][0]["solutionVersionArn"] == current


def test_a_worse_model_is_not_promoted_and_the_batch_uses_the_current_one(stack):
    s = stack(solution_exists=True, metrics={"precision_at_10": 0.05,
                                            "normalized_discounted_cumulative_gain_at_10": 0.2, "coverage": 0.5})
    current = s.personalize.add_version(SOLUTION, "current", datetime.now(UTC) - timedelta(days=9))
    s.s3.put_object(Bucket="work", Key="predictive-engagement/state/model.json", Body=json.dumps(
        {"solution_version_arn": current, "metrics": {"precision_at_10": 0.1,
                                                      "normalized_discounted_cumulative_gain_at_10": 0.2,
                                                      "coverage": 0.5}}))
    execution = run(s.machine, {})
    assert execution.status == "SUCCEEDED", execution.cause
    assert len(s.personalize.calls["create_solution_version"]) == 1
    assert s.personalize.calls["create_batch_inference_job"][0]["solutionVersionArn"] == current
    assert s.state()["solution_version_arn"] == current


def test_too_few_interactions_stop_the_run_with_the_counts(stack, unload):
    s = stack(unload_lines=unload[:200])
    execution = run(s.machine, {})
    assert execution.status == "FAILED" and execution.error == "NotEnoughInteractions"
    assert "not enough data to train" in execution.cause and "Personalize needs 1000" in execution.cause
    assert s.personalize.calls["create_dataset_import_job"] == []


@pytest.mark.parametrize(("statuses", "error"), [
    ({"import": ["CREATE IN_PROGRESS", "CREATE FAILED"]}, "ImportFailed"),
    ({"training": ["CREATE IN_PROGRESS", "CREATE STOPPED"]}, "TrainingFailed"),
    ({"batch": ["CREATE IN_PROGRESS"]}, "BatchTimedOut"),
    ({"batch": ["MAINTENANCE"]}, "BatchFailed")])  # an unknown status fails, it never loops
def test_a_failed_or_stuck_job_fails_the_run_and_writes_nothing(stack, statuses, error):
    s = stack(statuses=statuses)
    execution = run(s.machine, {})
    assert execution.status == "FAILED" and execution.error == error, (execution.error, execution.cause)
    assert s.profiles() == {} or all(p is None for p in s.profiles().values())

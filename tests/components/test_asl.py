"""ASL helpers: valid per statelint, and executed by moto's interpreter through every terminal status.

Athena progresses QUEUED -> RUNNING -> SUCCEEDED through moto's state manager; failures are produced the way
they happen (a query stopped mid-run) or by setting the moto job's status, since moto never fails a job itself.
"""
from __future__ import annotations

import threading
import time

import boto3
import pytest

from components import asl
from tools.local_stepfunctions import create_function, create_state_machine, moto_workflows, run

REGION = "us-east-1"


def _athena_machine(max_polls: int = 5) -> dict:
    query = asl.athena_query("Features", query_path="$.query", workgroup="primary", state_path="$.features",
                             next_state="Done", poll_seconds=1, max_polls=max_polls)
    return asl.definition("athena", query.start, {**query.states, "Done": {"Type": "Succeed"}}, 300)


def _transform_machine() -> dict:
    poll = asl.bounded_poll(
        "Transform", describe_resource="arn:aws:states:::aws-sdk:sagemaker:describeTransformJob",
        describe_parameters={"TransformJobName.$": "$.job"}, status_path="$.TransformJobStatus",
        succeeded=["Completed"], failed=["Failed", "Stopped"], running=["InProgress", "Stopping"],
        state_path="$.transform", next_state="Done", poll_seconds=1, max_polls=3,
        retry_errors=asl.SAGEMAKER_TRANSIENT_ERRORS,
        stop_resource="arn:aws:states:::aws-sdk:sagemaker:stopTransformJob",
        stop_parameters={"TransformJobName.$": "$.job"})
    return asl.definition("transform", poll.start, {**poll.states, "Done": {"Type": "Succeed"}}, 300)


@pytest.fixture
def athena_progression():
    from moto.moto_api import state_manager

    def progress(times: int) -> None:
        state_manager.set_transition(model_name="athena::execution",
                                     transition={"progression": "manual", "times": times})
    yield progress
    state_manager.unset_transition("athena::execution")


def _create_transform_job(name: str) -> None:
    sagemaker = boto3.client("sagemaker", region_name=REGION)
    sagemaker.create_model(ModelName="m", ExecutionRoleArn="arn:aws:iam::123456789012:role/sm",
                           PrimaryContainer={"Image": "img:1", "ModelDataUrl": "s3://b/model.tar.gz"})
    sagemaker.create_transform_job(
        TransformJobName=name, ModelName="m",
        TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/in/"}}},
        TransformOutput={"S3OutputPath": "s3://b/out/"},
        TransformResources={"InstanceType": "ml.m5.large", "InstanceCount": 1})


def _set_transform_status(name: str, status: str) -> None:
    from moto.sagemaker.models import sagemaker_backends

    backend = sagemaker_backends["123456789012"][REGION]
    backend.transform_jobs[name].transform_job_status = status


def test_every_fragment_passes_statelint():
    for machine in (_athena_machine(), _transform_machine()):
        assert asl.lint(machine) == []
    task = asl.lambda_task("arn:aws:lambda:us-east-1:123456789012:function:f", None)
    assert asl.lint(asl.definition("lambda", "Call", {"Call": task}, 60)) == []


def test_definition_refuses_a_transition_to_a_missing_state():
    with pytest.raises(ValueError, match="Nowhere"):
        asl.definition("bad", "A", {"A": {"Type": "Pass", "Next": "Nowhere"}}, 60)


def test_poll_loop_is_bounded_and_every_status_has_an_exit():
    states = _transform_machine()["States"]
    check = states["TransformCheck"]
    targets = {c.get("StringEquals", "count"): c["Next"] for c in check["Choices"]}
    assert targets == {"Completed": "TransformDone", "Failed": "TransformFailed", "Stopped": "TransformFailed",
                       "count": "TransformStop", "InProgress": "TransformWait", "Stopping": "TransformWait"}
    assert check["Default"] == "TransformUnexpectedStatus"
    assert states["TransformStop"]["Next"] == "TransformTimedOut"
    assert states["TransformCount"]["Parameters"]["count.$"] == "States.MathAdd($.transform.poll.count, 1)"


def test_tasks_retry_transient_errors_with_capped_jittered_backoff():
    task = asl.lambda_task("arn:aws:lambda:us-east-1:123456789012:function:f", "Next")
    rule, = task["Retry"]
    assert "Lambda.TooManyRequestsException" in rule["ErrorEquals"] and "States.Timeout" in rule["ErrorEquals"]
    assert "States.ALL" not in rule["ErrorEquals"]  # the function's own errors would fail the same way again
    assert (rule["BackoffRate"], rule["MaxDelaySeconds"], rule["JitterStrategy"]) == (2.0, 60, "FULL")
    assert task["TimeoutSeconds"] == 900 and task["ResultSelector"] == {"Payload.$": "$.Payload"}


def test_athena_query_polls_until_succeeded(athena_progression):
    athena_progression(1)  # QUEUED, RUNNING, SUCCEEDED: one poll each
    with moto_workflows():
        execution = run(create_state_machine(_athena_machine()), {"query": "SELECT 1"})
    assert execution.status == "SUCCEEDED", execution.cause
    poll = execution.output["features"]["poll"]
    assert poll["status"] == "SUCCEEDED" and poll["count"] >= 2
    assert "detail" not in poll and execution.output["features"]["QueryExecutionId"]


def test_athena_query_still_running_is_stopped_and_times_out(athena_progression):
    athena_progression(50)
    with moto_workflows():
        execution = run(create_state_machine(_athena_machine(max_polls=2)), {"query": "SELECT 1"})
        stopped = boto3.client("athena", region_name=REGION).list_query_executions()["QueryExecutionIds"]
        status = boto3.client("athena", region_name=REGION).get_query_execution(
            QueryExecutionId=stopped[0])["QueryExecution"]["Status"]["State"]
    assert (execution.status, execution.error) == ("FAILED", "FeaturesTimedOut")
    assert status == "CANCELLED"  # the poll gave up and stopped the query instead of leaving it running


def test_athena_query_cancelled_meanwhile_fails_with_the_status_as_cause(athena_progression):
    athena_progression(50)
    with moto_workflows():
        athena = boto3.client("athena", region_name=REGION)
        machine = create_state_machine(_athena_machine(max_polls=20))

        def cancel_first_query() -> None:
            for _ in range(100):
                ids = athena.list_query_executions()["QueryExecutionIds"]
                if ids:
                    athena.stop_query_execution(QueryExecutionId=ids[0])
                    return
                time.sleep(0.05)

        canceller = threading.Thread(target=cancel_first_query)
        canceller.start()
        execution = run(machine, {"query": "SELECT 1"})
        canceller.join()
    assert (execution.status, execution.error) == ("FAILED", "FeaturesFailed")
    assert '"State":"CANCELLED"' in execution.cause


@pytest.mark.parametrize("status, error", [("Completed", None), ("Failed", "TransformFailed"),
                                           ("Stopped", "TransformFailed"), ("Pending", "TransformUnexpectedStatus"),
                                           ("InProgress", "TransformTimedOut")])
def test_transform_poll_handles_every_terminal_status(status, error):
    with moto_workflows():
        _create_transform_job("job-1")
        _set_transform_status("job-1", status)
        execution = run(create_state_machine(_transform_machine()), {"job": "job-1"})
    assert execution.status == ("SUCCEEDED" if error is None else "FAILED")
    assert execution.error == error
    if status in ("Failed", "Stopped"):
        assert f'"TransformJobStatus":"{status}"' in execution.cause


def test_lambda_task_runs_the_registered_handler_and_returns_its_payload():
    def handler(event, _context):
        return {"doubled": event["n"] * 2}

    with moto_workflows({"double": handler}):
        arn = create_function("double")
        machine = asl.definition("lambda", "Call", {"Call": asl.lambda_task(arn, None, result_path="$.out")}, 60)
        execution = run(create_state_machine(machine), {"n": 21})
    assert execution.status == "SUCCEEDED", execution.cause
    assert execution.output == {"n": 21, "out": {"Payload": {"doubled": 42}}}

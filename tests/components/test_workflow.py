"""ScheduledWorkflow under the mock runtime: encryption, logging without data, tracing, scoped roles, alarms."""
from __future__ import annotations

import json

import pytest

from components.workflow import Schedule, ScheduledWorkflowArgs, _validate
from tools.harness.recorder import run_program

PROGRAM = """
import json
import pulumi
from components import asl, iam
from components.kms import EncryptionKey, EncryptionKeyArgs
from components.workflow import Schedule, ScheduledWorkflow, ScheduledWorkflowArgs
key = EncryptionKey("key", EncryptionKeyArgs(alias="test"))
machine = asl.definition("test", "Done", {"Done": {"Type": "Succeed"}}, 60)
flow = ScheduledWorkflow("scoring", ScheduledWorkflowArgs(
    definition=json.dumps(machine), kms_key=key, alarm_topic_arn="arn:aws:sns:us-east-1:123456789012:alarms",
    log_retention_days=30, statements=[iam.allow(["athena:StartQueryExecution"], ["arn:aws:athena:wg"])],
    schedules=[Schedule("daily", "cron(0 3 * * ? *)", {"mode": "score", "at": "<aws.scheduler.scheduled-time>"}),
               Schedule("weekly", "cron(0 5 ? * SUN *)", {"mode": "retrain"}, enabled=False)]))
"""


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    folder = tmp_path_factory.mktemp("workflow")
    (folder / "__main__.py").write_text(PROGRAM)
    return run_program(folder, "__main__.py", "engagement", "test", {"aws:region": "us-east-1"})


def _policy(recording, name: str) -> list[dict]:
    return json.loads(recording.by_name(name).inputs["policy"])["Statement"]


def test_state_machine_is_standard_encrypted_traced_and_logs_without_execution_data(recording):
    machine = recording.by_name("scoring").inputs
    key_arn = recording.by_name("key-key").state["arn"]
    assert machine["type"] == "STANDARD" and machine["tracingConfiguration"] == {"enabled": True}
    assert machine["encryptionConfiguration"] == {"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": key_arn,
                                                  "kmsDataKeyReusePeriodSeconds": 300}
    logging = machine["loggingConfiguration"]
    assert logging["level"] == "ALL" and logging["includeExecutionData"] is False
    assert logging["logDestination"] == recording.by_name("scoring-logs").state["arn"] + ":*"
    assert recording.by_name("scoring-logs").inputs["kmsKeyId"] == key_arn
    policy = recording.by_name("scoring-policy")
    assert policy.urn in recording.by_name("scoring").dependencies


def test_only_log_delivery_and_xray_use_a_wildcard_resource(recording):
    statements = _policy(recording, "scoring-policy")
    wildcard = {s["Sid"] for s in statements if "*" in s["Resource"]}
    assert wildcard == {"LogDeliveryHasNoResourceArn", "XRayHasNoResourceArn"}
    assert any(s["Action"] == ["athena:StartQueryExecution"] for s in statements)
    trust = json.loads(recording.by_name("scoring-role").inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "states.amazonaws.com"} and "aws:SourceAccount" in json.dumps(trust)


def test_schedules_start_only_this_machine_with_retries_and_a_dead_letter_queue(recording):
    machine_arn = recording.by_name("scoring").state["arn"]
    daily = recording.by_name("scoring-daily").inputs
    assert daily["scheduleExpression"] == "cron(0 3 * * ? *)" and daily["state"] == "ENABLED"
    assert daily["kmsKeyArn"] == recording.by_name("key-key").state["arn"]
    target = daily["target"]
    assert target["arn"] == machine_arn
    assert json.loads(target["input"]) == {"at": "<aws.scheduler.scheduled-time>", "mode": "score"}
    assert target["retryPolicy"] == {"maximumRetryAttempts": 3, "maximumEventAgeInSeconds": 3600}
    assert target["deadLetterConfig"]["arn"] == recording.by_name("scoring-schedule-dlq").state["arn"]
    assert recording.by_name("scoring-weekly").inputs["state"] == "DISABLED"
    statements = _policy(recording, "scoring-scheduler-policy")
    start, = [s for s in statements if "states:StartExecution" in s["Action"]]
    assert start["Resource"] == [machine_arn] and len(start["Action"]) == 1
    assert all("*" not in s["Resource"] for s in statements)


def test_alarms_on_failed_timed_out_aborted_executions_and_dead_letters(recording):
    alarms = {r.name: r.inputs for r in recording.by_type("aws:cloudwatch/metricAlarm:MetricAlarm")}
    metrics = {a["metricName"] for a in alarms.values()}
    assert {"ExecutionsFailed", "ExecutionsTimedOut", "ExecutionsAborted",
            "ApproximateNumberOfMessagesVisible"} <= metrics
    for alarm in alarms.values():
        assert alarm["alarmActions"] == ["arn:aws:sns:us-east-1:123456789012:alarms"]
        assert alarm["threshold"] == 0 and alarm["treatMissingData"] == "notBreaching"


def test_every_child_is_parented_to_the_component(recording):
    component = recording.by_name("scoring", custom=False)
    assert component.type == "engagement:shared:ScheduledWorkflow"
    children = {r.name for r in recording.children(component.urn)}
    assert {"scoring", "scoring-role", "scoring-logs", "scoring-daily", "scoring-schedule-dlq"} <= children


@pytest.mark.parametrize("change, message", [
    ({"log_level": "DEBUG"}, "log_level"),
    ({"schedule_retry_attempts": 200}, "schedule_retry_attempts"),
    ({"schedules": [Schedule("Daily Run", "cron(0 3 * * ? *)", {})]}, "lower-case"),
    ({"schedules": [Schedule("daily", "every day", {})]}, "not cron"),
    ({"schedules": [Schedule("daily", "rate(1 day)", {}), Schedule("daily", "rate(2 days)", {})]}, "unique"),
])
def test_bad_arguments_are_refused_before_any_resource(change, message):
    args = ScheduledWorkflowArgs(definition="{}", statements=[], kms_key=None, alarm_topic_arn="arn",
                                 log_retention_days=30)
    for name, value in change.items():
        setattr(args, name, value)
    with pytest.raises(ValueError, match=message):
        _validate(args)

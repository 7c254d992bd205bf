"""A scheduled Step Functions workflow: state machine, its role, its logs, its schedules, its alarms.

Defaults (AWS Solutions Constructs style, each one changeable through the args): STANDARD type (exactly-once,
one year of history, request-response + polling integrations); the execution history and definition encrypted
with the stack key; logging at level ALL *without execution data*, so state payloads (customer ids, features)
never reach CloudWatch Logs; X-Ray tracing; a role of its own that may do only what `statements` grant plus
the log-delivery and X-Ray calls, which AWS defines on `*`. Each schedule is an EventBridge Scheduler schedule
with a role that may only start this state machine, a retry policy (3 attempts within an hour) and an encrypted
dead-letter queue, so a start that fails is kept, not lost. Alarms go to the stack's alarm topic when an
execution fails, times out or is aborted, and when a start lands in the dead-letter queue.

    workflow = ScheduledWorkflow("churn-scoring", ScheduledWorkflowArgs(
        definition=pulumi.Output.json_dumps(machine), statements=[...], kms_key=foundation.key,
        alarm_topic_arn=foundation.alarm_topic.arn, log_retention_days=30,
        schedules=[Schedule("daily", "cron(0 3 * * ? *)", {"mode": "score"})]), opts=pulumi.ResourceOptions(parent=self))

A schedule's input may use Scheduler's context attributes, e.g. `"scheduled_time": "<aws.scheduler.scheduled-time>"`.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pulumi
import pulumi_aws as aws

from . import iam
from .kms import EncryptionKey
from .observability import dead_letter_queue, log_group

# Log delivery for vended logs and X-Ray support no resource-level permissions: AWS documents `*` for them.
LOG_DELIVERY_ACTIONS = ("logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
                        "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
                        "logs:DescribeResourcePolicies", "logs:DescribeLogGroups")
XRAY_ACTIONS = ("xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                "xray:GetSamplingTargets")
EXECUTION_ALARMS = (("failed", "ExecutionsFailed", "an execution failed"),
                    ("timed-out", "ExecutionsTimedOut", "an execution ran past its TimeoutSeconds"),
                    ("aborted", "ExecutionsAborted", "an execution was stopped by hand or by a deploy"))
_SCHEDULE_NAME = re.compile(r"^[a-z][a-z0-9-]{0,40}$")


@dataclass(frozen=True)
class Schedule:
    name: str
    """Role of the schedule, lower-case with dashes (`daily-scoring`); the resource is `<component>-<name>`."""
    expression: str
    """`cron(...)`, `rate(...)` or `at(...)` (EventBridge Scheduler syntax)."""
    input: Mapping[str, Any]
    """The execution input, as JSON."""
    timezone: str = "UTC"
    enabled: bool = True
    description: str = ""


@dataclass
class ScheduledWorkflowArgs:
    definition: pulumi.Input[str]
    """The ASL definition as a JSON string (build it with components.asl; ARNs may be outputs)."""
    statements: Sequence[iam.Statement]
    """What the state machine's tasks call, scoped to the stack's ARNs."""
    kms_key: EncryptionKey
    alarm_topic_arn: pulumi.Input[str]
    log_retention_days: int
    schedules: Sequence[Schedule] = ()
    log_level: str = "ALL"
    """ALL, ERROR or FATAL; execution data is never included, whatever the level."""
    schedule_retry_attempts: int = 3
    schedule_maximum_event_age_seconds: int = 3600
    description: str = ""
    depends_on: Sequence[pulumi.Resource] = field(default_factory=list)
    """Resources the definition's tasks need at creation (e.g. the functions it invokes)."""


class ScheduledWorkflow(pulumi.ComponentResource):
    state_machine: aws.sfn.StateMachine
    role: aws.iam.Role
    log_group: aws.cloudwatch.LogGroup
    dead_letter_queue: aws.sqs.Queue
    schedules: list[aws.scheduler.Schedule]
    arn: pulumi.Output[str]
    name: pulumi.Output[str]

    def __init__(self, name: str, args: ScheduledWorkflowArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("engagement:shared:ScheduledWorkflow", name, None, opts)
        _validate(args)
        self.log_group = log_group(f"{name}-logs", f"states/{name}", args.log_retention_days, args.kms_key.arn, self)
        self.role, policy = iam.service_role(f"{name}-role", f"{name}-policy", "states.amazonaws.com", [
            iam.allow(list(LOG_DELIVERY_ACTIONS), ["*"], sid="LogDeliveryHasNoResourceArn"),
            iam.allow(list(XRAY_ACTIONS), ["*"], sid="XRayHasNoResourceArn"),
            iam.allow(["kms:Decrypt", "kms:GenerateDataKey"], [args.kms_key.arn], sid="StackKey"),
            *args.statements], self, description=f"Runs the {name} state machine")
        self.state_machine = aws.sfn.StateMachine(
            name, type="STANDARD", role_arn=self.role.arn, definition=args.definition,
            logging_configuration=aws.sfn.StateMachineLoggingConfigurationArgs(
                level=args.log_level, include_execution_data=False,
                log_destination=pulumi.Output.concat(self.log_group.arn, ":*")),
            tracing_configuration=aws.sfn.StateMachineTracingConfigurationArgs(enabled=True),
            encryption_configuration=aws.sfn.StateMachineEncryptionConfigurationArgs(
                type="CUSTOMER_MANAGED_KMS_KEY", kms_key_id=args.kms_key.arn, kms_data_key_reuse_period_seconds=300),
            # Step Functions checks the role's log-delivery and KMS permissions when it creates the machine.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy, *args.depends_on]))
        self.dead_letter_queue = dead_letter_queue(f"{name}-schedule-dlq", args.kms_key.arn, self)
        self.schedules = self._create_schedules(name, args)
        self._create_alarms(name, args.alarm_topic_arn)
        self.arn = self.state_machine.arn
        self.name = self.state_machine.name
        self.register_outputs({"arn": self.arn, "name": self.name, "role_arn": self.role.arn,
                               "log_group_name": self.log_group.name,
                               "dead_letter_queue_arn": self.dead_letter_queue.arn,
                               "schedule_names": [s.name for s in self.schedules]})

    def _create_schedules(self, name: str, args: ScheduledWorkflowArgs) -> list[aws.scheduler.Schedule]:
        if not args.schedules:
            return []
        role, policy = iam.service_role(f"{name}-scheduler-role", f"{name}-scheduler-policy",
                                        "scheduler.amazonaws.com", [
            iam.allow(["states:StartExecution"], [self.state_machine.arn], sid="StartThisStateMachineOnly"),
            iam.allow(["sqs:SendMessage"], [self.dead_letter_queue.arn], sid="OwnDeadLetterQueue"),
            # The encrypted schedule input and the encrypted dead-letter queue both use the stack key.
            iam.allow(["kms:Decrypt", "kms:GenerateDataKey"], [args.kms_key.arn], sid="StackKey"),
        ], self, description=f"Lets EventBridge Scheduler start {name}")
        return [aws.scheduler.Schedule(
            f"{name}-{schedule.name}", description=schedule.description or None,
            schedule_expression=schedule.expression, schedule_expression_timezone=schedule.timezone,
            state="ENABLED" if schedule.enabled else "DISABLED", kms_key_arn=args.kms_key.arn,
            flexible_time_window=aws.scheduler.ScheduleFlexibleTimeWindowArgs(mode="OFF"),
            target=aws.scheduler.ScheduleTargetArgs(
                arn=self.state_machine.arn, role_arn=role.arn, input=json.dumps(dict(schedule.input), sort_keys=True),
                retry_policy=aws.scheduler.ScheduleTargetRetryPolicyArgs(
                    maximum_retry_attempts=args.schedule_retry_attempts,
                    maximum_event_age_in_seconds=args.schedule_maximum_event_age_seconds),
                dead_letter_config=aws.scheduler.ScheduleTargetDeadLetterConfigArgs(
                    arn=self.dead_letter_queue.arn)),
            # Scheduler validates that its role may start the target when the schedule is created.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[policy]))
            for schedule in args.schedules]

    def _create_alarms(self, name: str, topic_arn: pulumi.Input[str]) -> None:
        child = pulumi.ResourceOptions(parent=self)
        actions = {"alarm_actions": [topic_arn], "ok_actions": [topic_arn]}
        for suffix, metric, meaning in EXECUTION_ALARMS:
            aws.cloudwatch.MetricAlarm(
                f"{name}-executions-{suffix}", alarm_description=f"{name}: {meaning}; see the execution history.",
                namespace="AWS/States", metric_name=metric, dimensions={"StateMachineArn": self.state_machine.arn},
                statistic="Sum", period=300, evaluation_periods=1, threshold=0,
                comparison_operator="GreaterThanThreshold", treat_missing_data="notBreaching", opts=child, **actions)
        if self.schedules:
            aws.cloudwatch.MetricAlarm(
                f"{name}-schedule-dead-letters", alarm_description=f"{name}: a scheduled start failed after its "
                                                                   "retries; the event waits in the DLQ.",
                namespace="AWS/SQS", metric_name="ApproximateNumberOfMessagesVisible",
                dimensions={"QueueName": self.dead_letter_queue.name}, statistic="Maximum", period=300,
                evaluation_periods=1, threshold=0, comparison_operator="GreaterThanThreshold",
                treat_missing_data="notBreaching", opts=child, **actions)


def _validate(args: ScheduledWorkflowArgs) -> None:
    if args.log_level not in ("ALL", "ERROR", "FATAL"):
        raise ValueError(f"log_level must be ALL, ERROR or FATAL, got {args.log_level!r}")
    if not 0 <= args.schedule_retry_attempts <= 185:
        raise ValueError("schedule_retry_attempts must be between 0 and 185 (EventBridge Scheduler limits)")
    if not 60 <= args.schedule_maximum_event_age_seconds <= 86400:
        raise ValueError("schedule_maximum_event_age_seconds must be between 60 and 86400")
    names = [s.name for s in args.schedules]
    if len(names) != len(set(names)):
        raise ValueError(f"schedule names must be unique, got {names}")
    for schedule in args.schedules:
        if not _SCHEDULE_NAME.match(schedule.name):
            raise ValueError(f"schedule name {schedule.name!r} must be lower-case letters, digits and dashes")
        if not re.match(r"^(cron|rate|at)\(.+\)$", schedule.expression):
            raise ValueError(f"schedule {schedule.name!r}: {schedule.expression!r} is not cron(...), rate(...) "
                             "or at(...)")

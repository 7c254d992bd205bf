"""EventBridge Scheduler schedules keep failed invocations in a dead-letter queue."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="SCHEDULER-001", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="EventBridge Scheduler schedules set `target.deadLetterConfig.arn`, so an invocation that still "
                "fails after its retries is kept in an SQS queue (and can be replayed) instead of being dropped.",
    remediation="Set target.dead_letter_config={'arn': queue.arn} and allow sqs:SendMessage on it in the "
                "schedule's role (components.workflow.ScheduledWorkflow does both).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP01",
    url="https://docs.aws.amazon.com/scheduler/latest/UserGuide/configuring-schedule-dlq.html")


def check(props, _config):
    if not get_path(props, "target.deadLetterConfig.arn"):
        yield "`target.deadLetterConfig.arn` is not set."


POLICY = resource_policy(__name__, META, ["aws:scheduler/schedule:Schedule"], check)

"""EventBridge rule targets keep undeliverable events in a dead-letter queue."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="EVENTS-001", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="EventBridge rule targets set `deadLetterConfig.arn`, so an event that cannot be delivered after "
                "the retry policy is kept in SQS instead of being dropped.",
    remediation="Set dead_letter_config={'arn': queue.arn} and retry_policy on the aws.cloudwatch.EventTarget, "
                "and allow events.amazonaws.com to send to the queue (aws:SourceArn = the rule).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP01",
    url="https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html")


def check(props, _config):
    if not get_path(props, "deadLetterConfig.arn"):
        yield "`deadLetterConfig.arn` is not set; undeliverable events would be dropped."


POLICY = resource_policy(__name__, META, ["aws:cloudwatch/eventTarget:EventTarget"], check)

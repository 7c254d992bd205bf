"""Lambda functions send failed asynchronous events to a dead-letter queue."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="LAMBDA-003", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="Lambda functions have a dead-letter queue, so an asynchronous event that still fails after its "
                "retries is kept for replay instead of being dropped.",
    remediation="Set `dead_letter_config={'target_arn': queue.arn}` with an encrypted SQS queue and grant "
                "sqs:SendMessage to the role (components.PackagedFunction does this).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP01",
    url="https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html")


def check(props, _config):
    if not (props.get("deadLetterConfig") or {}).get("targetArn"):
        yield "`deadLetterConfig.targetArn` is not set; failed asynchronous events would be lost."


POLICY = resource_policy(__name__, META, ["aws:lambda/function:Function"], check)

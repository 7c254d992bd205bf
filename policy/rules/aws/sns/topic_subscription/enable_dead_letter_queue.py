"""SNS subscriptions keep undeliverable messages in a dead-letter queue."""
from pulumi_policy import EnforcementLevel, Severity

import json

from rules._framework import Pillar, RuleMeta, resource_policy

SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
# Protocols SNS retries and then drops; e-mail and SMS subscriptions are for humans and have no redrive.
REDRIVABLE = ("sqs", "lambda", "firehose", "http", "https", "application")
META = RuleMeta(
    id="SNS-003", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="SNS subscriptions to SQS, Lambda, Firehose, HTTP(S) and mobile endpoints set a `redrivePolicy` "
                "with a dead-letter queue, so a message SNS cannot deliver after its retries is kept instead of "
                "discarded.",
    remediation="Set redrive_policy=json.dumps({'deadLetterTargetArn': dlq.arn}) and allow sns.amazonaws.com to "
                "send to the DLQ (aws:SourceArn = the topic).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP01",
    url="https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html")


def check(props, _config):
    try:
        redrive = json.loads(props.get("redrivePolicy") or "{}")
    except (TypeError, ValueError):
        redrive = {}
    if props.get("protocol") in REDRIVABLE and not (isinstance(redrive, dict) and redrive.get("deadLetterTargetArn")):
        yield f"the {props.get('protocol')} subscription has no dead-letter queue."


POLICY = resource_policy(__name__, META, [SUBSCRIPTION], check)

"""functions/preference_api's `sms_keywords` entry point, subscribed to the events database's two-way SMS topic.

Only when both solutions are in one stack. A STOP (or START) reply from a number the address registry maps to an
owner updates that owner's preferences; the normal sync then carries the change everywhere. Nothing is lost:
SNS retries Lambda and sends what it still cannot deliver to the function's own encrypted dead-letter queue,
where Lambda also puts an invocation that failed after its retries; `python -m tools.preference_sms_replay`
replays that queue (applying a reply twice is harmless). The role may read the tables it checks and append to
the preferences and consent tables, nothing else (the package's API code is in the archive, its permissions are
not in this role).
"""
from __future__ import annotations

import pulumi
import pulumi_aws as aws

from .. import iam
from ..kms import EncryptionKey
from ..lambda_function import PackagedFunction
from .event_functions import allow_source, create_event_function
from .tables import Tables


def create_sms_keywords(name: str, tables: Tables, center_id: str, topic_arn: pulumi.Input[str], key: EncryptionKey,
                        log_retention_days: int, log_level: str, parent: pulumi.Resource) -> PackagedFunction:
    environment = {
        "CONFIG_TABLE": tables.config.name, "PREFERENCES_TABLE": tables.preferences.name,
        "CONSENT_TABLE": tables.consent.name, "ADDRESSES_TABLE": tables.addresses.name,
        "PREFERENCE_CENTER_IDS": center_id}
    # Exactly the calls sms_keywords.py makes: the registry and the record are read, the change is one
    # transaction of a conditioned preferences Put and an append-only consent Put (authorised per item).
    statements = [
        iam.allow(["dynamodb:GetItem"], [tables.config.arn, tables.addresses.arn], sid="ReadCenterAndRegistry"),
        iam.allow(["dynamodb:GetItem", "dynamodb:PutItem"], [tables.preferences.arn], sid="ReadWritePreferences"),
        iam.allow(["dynamodb:PutItem"], [tables.consent.arn], sid="AppendConsentRecords"),
    ]
    function = create_event_function(f"{name}-sms-keywords", "sms_keywords.lambda_handler",
                                     "Applies STOP/START replies from owned numbers to the preference center",
                                     environment, statements, key, log_retention_days, log_level, parent)
    # SNS checks that it may invoke the function (and reach the queue) when the subscription is created.
    checked = allow_source(f"{name}-sms-keywords", function, "sns.amazonaws.com", "InboundSmsDeadLetters",
                           topic_arn, parent)
    aws.sns.TopicSubscription(
        f"{name}-sms-keywords-subscription", topic=topic_arn, protocol="lambda", endpoint=function.arn,
        redrive_policy=pulumi.Output.json_dumps({"deadLetterTargetArn": function.dead_letter_queue.arn}),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[*checked, function]))
    return function

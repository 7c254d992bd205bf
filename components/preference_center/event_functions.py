"""The preference center's event-driven functions (SMS keywords, SES subscriptions): entry points of
functions/preference_api with their own role, invoked by one AWS service from one source, which may also put what
it cannot deliver into the function's own encrypted dead-letter queue (where Lambda puts the invocations it gave up
on), so one replay command drains both."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
import pulumi_aws as aws

from .. import iam
from ..kms import EncryptionKey
from ..lambda_function import PackagedFunction, PackagedFunctionArgs


def create_event_function(name: str, handler: str, description: str, environment: Mapping[str, pulumi.Input[str]],
                          statements: Sequence[iam.Statement], key: EncryptionKey, log_retention_days: int,
                          log_level: str, parent: pulumi.Resource) -> PackagedFunction:
    return PackagedFunction(name, PackagedFunctionArgs(
        source="preference_api", handler=handler, kms_key=key, log_retention_days=log_retention_days,
        log_level=log_level, environment=environment, statements=statements, description=description, timeout=30),
        opts=pulumi.ResourceOptions(parent=parent))


def allow_source(name: str, function: PackagedFunction, service: str, sid: str, source_arn: pulumi.Input[str],
                 parent: pulumi.Resource) -> list[pulumi.Resource]:
    """`service` may invoke the function, and fill its dead-letter queue, only from `source_arn`. Returns what the
    service checks when its subscription or target is created (the caller's resource depends on both)."""
    child = pulumi.ResourceOptions(parent=parent)
    dead_letters = function.dead_letter_queue
    queue_policy = aws.sqs.QueuePolicy(f"{name}-dlq-policy", queue_url=dead_letters.url, policy=iam.document([{
        "Sid": sid, "Effect": "Allow", "Principal": {"Service": service}, "Action": "sqs:SendMessage",
        "Resource": dead_letters.arn, "Condition": {"ArnEquals": {"aws:SourceArn": source_arn}}}]), opts=child)
    permission = aws.lambda_.Permission(f"{name}-invoke", action="lambda:InvokeFunction", function=function.name,
                                        principal=service, source_arn=source_arn, opts=child)
    return [permission, queue_policy]

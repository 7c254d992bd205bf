"""functions/preference_sync, fed by the preferences table's stream.

Failure handling, so that no change is lost: the handler reports failed records (partial batch response),
Lambda bisects a failing batch to isolate the bad record, retries, and finally sends the batch's stream
coordinates to an encrypted SQS queue (alarmed). Each record reconciles the user's whole desired state from the
table, so a later change or `python -m tools.preference_reconcile` repairs anything an earlier failure left.
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import iam
from ..kms import EncryptionKey
from ..lambda_function import PackagedFunction, PackagedFunctionArgs
from .messaging import ContactList
from .tables import Tables


@dataclass(frozen=True)
class SyncSettings:
    batch_size: int = 25
    maximum_retry_attempts: int = 5
    """Retries of a failing batch (after bisection) before its coordinates go to the failure queue."""
    maximum_batching_window_seconds: int = 1


def create_sync(name: str, tables: Tables, contact_list: ContactList,
                opt_out_list: aws.pinpoint.Smsvoicev2OptOutList, events_stream: tuple | None, key: EncryptionKey,
                log_retention_days: int, log_level: str, settings: SyncSettings,
                parent: pulumi.Resource) -> PackagedFunction:
    environment = {
        "PREFERENCES_TABLE": tables.preferences.name, "AUDIENCE_TABLE": tables.audience.name,
        "CONFIG_TABLE": tables.config.name, "CONTACT_LIST_NAME": contact_list.name,
        "OPT_OUT_LIST_NAME": opt_out_list.name, "ADDRESSES_TABLE": tables.addresses.name}
    # Exactly the calls functions/preference_sync/sync.py makes, on this stack's resources only. No
    # dynamodb:ListStreams: it has no resource type, and the event source mapping does not need it.
    statements = [
        iam.allow(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
                  [tables.preferences.stream_arn], sid="ReadPreferencesStream"),
        iam.allow(["dynamodb:GetItem"], [tables.config.arn, tables.preferences.arn, tables.addresses.arn],
                  sid="ReadDesiredState"),
        iam.allow(["dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"], [tables.audience.arn],
                  sid="WriteAudiences"),
        iam.allow(["ses:GetContact", "ses:CreateContact", "ses:UpdateContact", "ses:DeleteContact"],
                  [contact_list.arn], sid="SyncEmailContacts"),
        iam.allow(["sms-voice:DescribeOptedOutNumbers", "sms-voice:PutOptedOutNumber",
                   "sms-voice:DeleteOptedOutNumber"], [opt_out_list.arn], sid="SyncSmsOptOuts"),
    ]
    if events_stream is not None:
        stream_name, stream_arn = events_stream
        environment["EVENTS_STREAM_NAME"] = stream_name
        statements.append(iam.allow(["firehose:PutRecord"], [stream_arn], sid="EmitPreferenceEvents"))
    function = PackagedFunction(f"{name}-sync", PackagedFunctionArgs(
        source="preference_sync", kms_key=key, log_retention_days=log_retention_days, log_level=log_level,
        description="Syncs preference changes to SES topics, the SMS opt-out list, audiences and events",
        environment=environment, statements=statements, timeout=60),
        opts=pulumi.ResourceOptions(parent=parent))
    aws.lambda_.EventSourceMapping(
        f"{name}-sync-stream", function_name=function.arn, event_source_arn=tables.preferences.stream_arn,
        starting_position="LATEST", batch_size=settings.batch_size,
        maximum_batching_window_in_seconds=settings.maximum_batching_window_seconds,
        function_response_types=["ReportBatchItemFailures"], bisect_batch_on_function_error=True,
        maximum_retry_attempts=settings.maximum_retry_attempts,
        # The function's own encrypted DLQ (PackagedFunction): the role may already SendMessage to it, and the
        # function is never invoked asynchronously, so the queue holds exactly the stream failures.
        destination_config=aws.lambda_.EventSourceMappingDestinationConfigArgs(
            on_failure=aws.lambda_.EventSourceMappingDestinationConfigOnFailureArgs(
                destination_arn=function.dead_letter_queue.arn)),
        # Lambda checks the role's stream permissions when the mapping is created.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[function, function.role_policy]))
    return function

"""Real time: engagement events on the stack's bus -> SQS -> forwarder -> Personalize PutEvents.

The queue decouples the bus from Personalize's PutEvents quota: a throttled call is retried in the function,
then SQS redelivers the message (visibility timeout), then after 5 receipts it waits in the dead-letter queue,
with an alarm. Events the bus cannot deliver to the queue go to the same dead-letter queue. Custom app events
reach the bus with source `engagement.app` (detail = the events database's custom-event format).
"""
from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from .. import iam
from ..kms import EncryptionKey
from ..lambda_function import PackagedFunction, PackagedFunctionArgs
from ..observability import dead_letter_queue
from .functions import event_values_json
from .settings import PredictiveEngagementSettings

APP_SOURCE = "engagement.app"
SES_EVENT_TYPES = {"click": "Click", "open": "Open"}  # canonical type -> SES eventType on the bus
FORWARDER_TIMEOUT = 60
BATCHING_WINDOW_SECONDS = 5
MAX_RECEIVE_COUNT = 5


def event_pattern(settings: PredictiveEngagementSettings) -> str:
    counted = [name for name, _ in settings.weighted_event_types]
    ses = [SES_EVENT_TYPES[name] for name in counted if name in SES_EVENT_TYPES]
    app = [name for name in counted if name not in SES_EVENT_TYPES]
    branches = []
    if ses:
        branches.append({"source": ["aws.ses"], "detail": {"eventType": ses}})
    if app:
        branches.append({"source": [APP_SOURCE], "detail": {"event_type": app}})
    return json.dumps(branches[0] if len(branches) == 1 else {"$or": branches}, sort_keys=True)


def create(name: str, settings: PredictiveEngagementSettings, key: EncryptionKey, bus_name: pulumi.Input[str],
           tracking_id: pulumi.Output[str], log_retention_days: int, log_level: str, alarm_topic_arn: pulumi.Output[str],
           parent: pulumi.Resource) -> tuple[aws.sqs.Queue, aws.sqs.Queue, PackagedFunction]:
    child = pulumi.ResourceOptions(parent=parent)
    dead_letters = dead_letter_queue(f"{name}-realtime-dlq", key.arn, parent)
    queue = aws.sqs.Queue(
        f"{name}-realtime", kms_master_key_id=key.arn, kms_data_key_reuse_period_seconds=300,
        # AWS: at least six times the function timeout plus the batching window, or a slow batch is redelivered.
        visibility_timeout_seconds=6 * FORWARDER_TIMEOUT + BATCHING_WINDOW_SECONDS, message_retention_seconds=4 * 24 * 3600,
        redrive_policy=dead_letters.arn.apply(lambda arn: json.dumps(
            {"deadLetterTargetArn": arn, "maxReceiveCount": MAX_RECEIVE_COUNT})), opts=child)
    rule = aws.cloudwatch.EventRule(
        f"{name}-realtime-events", description="Engagement events that count as Personalize interactions",
        event_bus_name=bus_name, event_pattern=event_pattern(settings), opts=child)
    for queue_name, target in ((f"{name}-realtime-policy", queue), (f"{name}-realtime-dlq-policy", dead_letters)):
        aws.sqs.QueuePolicy(queue_name, queue_url=target.url, policy=iam.document([{
            "Sid": "OurRuleOnly", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
            "Action": "sqs:SendMessage", "Resource": target.arn,
            "Condition": {"ArnEquals": {"aws:SourceArn": rule.arn}}}]), opts=child)
    aws.cloudwatch.EventTarget(
        f"{name}-realtime-to-queue", rule=rule.name, event_bus_name=bus_name, arn=queue.arn,
        dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=dead_letters.arn),
        retry_policy=aws.cloudwatch.EventTargetRetryPolicyArgs(maximum_event_age_in_seconds=86400,
                                                               maximum_retry_attempts=185), opts=child)
    forwarder = PackagedFunction(f"{name}-forwarder", PackagedFunctionArgs(
        source="predictive_engagement_forwarder", kms_key=key, log_retention_days=log_retention_days,
        log_level=log_level, timeout=FORWARDER_TIMEOUT, reserved_concurrency=5,
        description="Forwards engagement events to the Personalize event tracker",
        environment={"TRACKING_ID": tracking_id, "ITEM_ID_SOURCES": json.dumps(list(settings.item_id_sources)),
                     "EVENT_VALUES": event_values_json(settings),
                     "POWERTOOLS_METRICS_NAMESPACE": "EngagementPredictiveEngagement"},
        statements=[
            # PutEvents authorises on the tracking id, not an ARN: AWS documents Resource "*" for it.
            iam.allow(["personalize:PutEvents"], ["*"], sid="PutEventsHasNoResourceArn"),
            iam.allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                       "sqs:ChangeMessageVisibility"], [queue.arn], sid="ConsumeRealtimeQueue")]), opts=child)
    aws.lambda_.EventSourceMapping(
        f"{name}-realtime-mapping", event_source_arn=queue.arn, function_name=forwarder.function.arn,
        batch_size=100, maximum_batching_window_in_seconds=BATCHING_WINDOW_SECONDS, function_response_types=["ReportBatchItemFailures"],
        scaling_config=aws.lambda_.EventSourceMappingScalingConfigArgs(maximum_concurrency=5),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[forwarder]))
    common = {"alarm_actions": [alarm_topic_arn], "ok_actions": [alarm_topic_arn], "treat_missing_data": "notBreaching",
              "comparison_operator": "GreaterThanThreshold", "opts": child}
    aws.cloudwatch.MetricAlarm(
        f"{name}-realtime-dead-letters", alarm_description="Engagement events could not be forwarded to the "
        "Personalize event tracker after retries; replay: `aws sqs start-message-move-task --source-arn <dlq arn>`.",
        namespace="AWS/SQS", metric_name="ApproximateNumberOfMessagesVisible",
        dimensions={"QueueName": dead_letters.name}, statistic="Maximum", period=300, evaluation_periods=1,
        threshold=0, **common)
    aws.cloudwatch.MetricAlarm(
        f"{name}-realtime-backlog", alarm_description="Real-time events wait more than 15 minutes (PutEvents "
        "throttled or the forwarder failing); recommendations lag behind today's clicks.",
        namespace="AWS/SQS", metric_name="ApproximateAgeOfOldestMessage", dimensions={"QueueName": queue.name},
        statistic="Maximum", period=300, evaluation_periods=2, threshold=900, **common)
    return queue, dead_letters, forwarder

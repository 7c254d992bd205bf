"""Alarms to the stack's alarm topic: API server errors, sync and SMS-keyword failures waiting in their queues,
crashes."""
from __future__ import annotations

import pulumi
import pulumi_aws as aws

from ..lambda_function import PackagedFunction


def create_alarms(name: str, api_id: pulumi.Output[str], stage_name: pulumi.Output[str], sync: PackagedFunction,
                  rotation: PackagedFunction, topic_arn: pulumi.Output[str],
                  parent: pulumi.Resource) -> list[aws.cloudwatch.MetricAlarm]:
    child = pulumi.ResourceOptions(parent=parent)
    common = {"alarm_actions": [topic_arn], "ok_actions": [topic_arn], "treat_missing_data": "notBreaching",
              "comparison_operator": "GreaterThanThreshold", "opts": child}
    return [
        aws.cloudwatch.MetricAlarm(
            f"{name}-api-5xx", alarm_description="The preference API answered 5xx: users cannot read or save "
                                                 "their preferences (the handler logs each with its request id).",
            namespace="AWS/ApiGateway", metric_name="5xx", dimensions={"ApiId": api_id, "Stage": stage_name},
            statistic="Sum", period=300, evaluation_periods=1, threshold=5, **common),
        aws.cloudwatch.MetricAlarm(
            f"{name}-sync-failed", alarm_description="Preference changes failed to sync after all retries; their "
                                                     "stream coordinates are in the queue. Fix the cause, then run "
                                                     "python -m tools.preference_reconcile --function <sync "
                                                     "function> --dlq (or --center <id> after 24 h).",
            namespace="AWS/SQS", metric_name="ApproximateNumberOfMessagesVisible",
            dimensions={"QueueName": sync.dead_letter_queue.name}, statistic="Maximum", period=300,
            evaluation_periods=1, threshold=0, **common),
        aws.cloudwatch.MetricAlarm(
            f"{name}-sync-errors", alarm_description="preference_sync failed; the stream retries the batch.",
            namespace="AWS/Lambda", metric_name="Errors", dimensions={"FunctionName": sync.name},
            statistic="Sum", period=300, evaluation_periods=1, threshold=0, **common),
        aws.cloudwatch.MetricAlarm(
            f"{name}-key-rotation-errors", alarm_description="The signing-key rotation failed; the current key "
                                                             "stays in use until a rotation succeeds.",
            namespace="AWS/Lambda", metric_name="Errors", dimensions={"FunctionName": rotation.name},
            statistic="Sum", period=3600, evaluation_periods=1, threshold=0, **common),
    ]


def create_sms_keyword_alarms(name: str, function: PackagedFunction, topic_arn: pulumi.Output[str],
                              parent: pulumi.Resource) -> list[aws.cloudwatch.MetricAlarm]:
    child = pulumi.ResourceOptions(parent=parent)
    common = {"alarm_actions": [topic_arn], "ok_actions": [topic_arn], "treat_missing_data": "notBreaching",
              "comparison_operator": "GreaterThanThreshold", "threshold": 0, "period": 300,
              "evaluation_periods": 1, "opts": child}
    return [
        aws.cloudwatch.MetricAlarm(
            f"{name}-sms-keywords-failed", alarm_description="STOP/START replies could not be applied after all "
                                                             "retries and wait in the queue. Fix the cause, then "
                                                             "run python -m tools.preference_sms_replay --function "
                                                             "<sms keyword function>.",
            namespace="AWS/SQS", metric_name="ApproximateNumberOfMessagesVisible",
            dimensions={"QueueName": function.dead_letter_queue.name}, statistic="Maximum", **common),
        aws.cloudwatch.MetricAlarm(
            f"{name}-sms-keywords-errors", alarm_description="Applying an SMS reply failed; Lambda retries it.",
            namespace="AWS/Lambda", metric_name="Errors", dimensions={"FunctionName": function.name},
            statistic="Sum", **common),
    ]

"""Alarms to the stack's alarm topic: API server errors, sync, SMS-keyword and SES-subscription failures waiting in
their queues, crashes."""
from __future__ import annotations

import pulumi
import pulumi_aws as aws

from ..lambda_function import PackagedFunction


def create_alarms(name: str, api_id: pulumi.Output[str], stage_name: pulumi.Output[str], sync: PackagedFunction,
                  rotation: PackagedFunction, topic_arn: pulumi.Output[str],
                  parent: pulumi.Resource) -> list[aws.cloudwatch.MetricAlarm]:
    common = _common(topic_arn, parent)
    return [
        aws.cloudwatch.MetricAlarm(
            f"{name}-api-5xx", alarm_description="The preference API answered 5xx: users cannot read or save "
                                                 "their preferences (the handler logs each with its request id).",
            namespace="AWS/ApiGateway", metric_name="5xx", dimensions={"ApiId": api_id, "Stage": stage_name},
            statistic="Sum", period=300, evaluation_periods=1, threshold=5, **common),
        _queue_alarm(f"{name}-sync-failed", sync, "Preference changes failed to sync after all retries; their "
                                                  "stream coordinates are in the queue. Fix the cause, then run "
                                                  "python -m tools.preference_reconcile --function <sync "
                                                  "function> --dlq (or --center <id> after 24 h).", common),
        _errors_alarm(f"{name}-sync-errors", sync, "preference_sync failed; the stream retries the batch.", 300,
                      common),
        _errors_alarm(f"{name}-key-rotation-errors", rotation, "The signing-key rotation failed; the current key "
                                                               "stays in use until a rotation succeeds.", 3600,
                      common),
    ]


def create_event_function_alarms(name: str, role: str, function: PackagedFunction, what: str, replay: str,
                                 topic_arn: pulumi.Output[str],
                                 parent: pulumi.Resource) -> list[aws.cloudwatch.MetricAlarm]:
    """An event-driven function's two alarms (`<name>-<role>-failed`, `-errors`): `what` it applies waits in its
    dead-letter queue after every retry, and `replay` is the module that replays that queue."""
    common = _common(topic_arn, parent)
    return [
        _queue_alarm(f"{name}-{role}-failed", function, f"{what} could not be applied after all retries and wait "
                                                        f"in the queue. Fix the cause, then run python -m {replay} "
                                                        f"--function <{role} function>.", common),
        _errors_alarm(f"{name}-{role}-errors", function, f"Applying {what} failed; it is retried.", 300, common),
    ]


def create_sms_keyword_alarms(name: str, function: PackagedFunction, topic_arn: pulumi.Output[str],
                              parent: pulumi.Resource) -> list[aws.cloudwatch.MetricAlarm]:
    return create_event_function_alarms(name, "sms-keywords", function, "STOP/START replies",
                                        "tools.preference_sms_replay", topic_arn, parent)


def create_ses_subscription_alarms(name: str, function: PackagedFunction, topic_arn: pulumi.Output[str],
                                   parent: pulumi.Resource) -> list[aws.cloudwatch.MetricAlarm]:
    return create_event_function_alarms(name, "ses-subscriptions", function, "SES subscription-page opt-outs",
                                        "tools.preference_ses_replay", topic_arn, parent)


def _common(topic_arn: pulumi.Output[str], parent: pulumi.Resource) -> dict:
    return {"alarm_actions": [topic_arn], "ok_actions": [topic_arn], "treat_missing_data": "notBreaching",
            "comparison_operator": "GreaterThanThreshold", "opts": pulumi.ResourceOptions(parent=parent)}


def _queue_alarm(name: str, function: PackagedFunction, description: str, common: dict) -> aws.cloudwatch.MetricAlarm:
    """Anything in the function's dead-letter queue: work that failed after every retry and waits for a replay."""
    return aws.cloudwatch.MetricAlarm(
        name, alarm_description=description, namespace="AWS/SQS", metric_name="ApproximateNumberOfMessagesVisible",
        dimensions={"QueueName": function.dead_letter_queue.name}, statistic="Maximum", period=300,
        evaluation_periods=1, threshold=0, **common)


def _errors_alarm(name: str, function: PackagedFunction, description: str, period: int,
                  common: dict) -> aws.cloudwatch.MetricAlarm:
    return aws.cloudwatch.MetricAlarm(
        name, alarm_description=description, namespace="AWS/Lambda", metric_name="Errors",
        dimensions={"FunctionName": function.name}, statistic="Sum", period=period, evaluation_periods=1,
        threshold=0, **common)

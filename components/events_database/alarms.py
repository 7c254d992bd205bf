"""Alarms to the stack's alarm topic: stale delivery, records the transform rejected, transform crashes."""
from __future__ import annotations

import pulumi
import pulumi_aws as aws

TRANSFORM_METRICS_NAMESPACE = "EngagementEvents"  # functions/events_transform/handler.py NAMESPACE
TRANSFORM_SERVICE = "events_transform"  # Powertools' `service` dimension: PackagedFunction's source by default


def create_alarms(name: str, stream_name: pulumi.Output[str], transform_name: pulumi.Output[str],
                  topic_arn: pulumi.Output[str], buffering_interval_seconds: int,
                  parent: pulumi.Resource, transform_service: str = TRANSFORM_SERVICE
                  ) -> list[aws.cloudwatch.MetricAlarm]:
    child = pulumi.ResourceOptions(parent=parent)
    actions = {"alarm_actions": [topic_arn], "ok_actions": [topic_arn]}
    return [
        aws.cloudwatch.MetricAlarm(
            f"{name}-delivery-freshness", alarm_description="Events wait in Firehose longer than expected: "
                                                            "delivery to S3 is failing or falling behind.",
            namespace="AWS/Firehose", metric_name="DeliveryToS3.DataFreshness",
            dimensions={"DeliveryStreamName": stream_name}, statistic="Maximum", period=300, evaluation_periods=3,
            # Twice the buffer plus the Lambda buffer and retries; above that, data is stuck.
            threshold=2 * buffering_interval_seconds + 300, comparison_operator="GreaterThanThreshold",
            treat_missing_data="notBreaching", opts=child, **actions),
        aws.cloudwatch.MetricAlarm(
            f"{name}-transform-rejects", alarm_description="The transform marked records ProcessingFailed; "
                                                           "they are under errors/ in the data lake.",
            namespace=TRANSFORM_METRICS_NAMESPACE, metric_name="RecordsFailed",
            dimensions={"service": transform_service}, statistic="Sum", period=300, evaluation_periods=1,
            threshold=0, comparison_operator="GreaterThanThreshold", treat_missing_data="notBreaching",
            opts=child, **actions),
        aws.cloudwatch.MetricAlarm(
            f"{name}-transform-errors", alarm_description="The transform Lambda failed; Firehose retries, then "
                                                          "writes the batch under errors/.",
            namespace="AWS/Lambda", metric_name="Errors", dimensions={"FunctionName": transform_name},
            statistic="Sum", period=300, evaluation_periods=1, threshold=0,
            comparison_operator="GreaterThanThreshold", treat_missing_data="notBreaching", opts=child, **actions),
        aws.cloudwatch.MetricAlarm(
            f"{name}-processing-failures", alarm_description="Firehose could not invoke the transform.",
            namespace="AWS/Firehose", metric_name="ExecuteProcessing.Success",
            dimensions={"DeliveryStreamName": stream_name}, statistic="Minimum", period=300, evaluation_periods=2,
            threshold=1, comparison_operator="LessThanThreshold", treat_missing_data="notBreaching", opts=child,
            **actions),
    ]

"""EXPECTED: aws-cloudwatch-metric-alarm-enable-alarm-actions. CLASS: 4. The DLQ alarm exists and points at the
on-call topic, with actions switched off since an incident."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
alerts = b.topic("alerts", kms)
dlq = b.dead_letter_queue("work", kms)
b.queue("work", kms, dlq)
aws.cloudwatch.MetricAlarm("work-dlq-not-empty", namespace="AWS/SQS", metric_name="ApproximateNumberOfMessagesVisible",
                           dimensions={"QueueName": "work-dlq"}, statistic="Maximum", period=300, evaluation_periods=1,
                           threshold=0, comparison_operator="GreaterThanThreshold", alarm_actions=[alerts.arn],
                           actions_enabled=False, tags=b.TAGS)

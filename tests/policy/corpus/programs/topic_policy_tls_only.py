"""EXPECTED: aws-sns-topic-disallow-public-policy. CLASS: 1. Anyone may publish as long as they use TLS:
aws:SecureTransport restricts how, not who."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
alerts = b.topic("alerts", kms)
aws.sns.TopicPolicy("alerts-policy", arn=alerts.arn, policy=alerts.arn.apply(lambda arn: b.doc({
    "Sid": "Publishers", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sns:Publish", "Resource": arn,
    "Condition": {"Bool": {"aws:SecureTransport": "true"}}})))

"""EXPECTED: aws-sns-topic-subscription-enforce-https. CLASS: 4. The on-call webhook is subscribed over plain
http, so every alert (and the subscription confirmation token) crosses the internet in clear text."""
import json

import pulumi_aws as aws

import baseline as b

kms = b.key()
alerts = b.topic("alerts", kms)
dlq = b.dead_letter_queue("alerts-sub", kms)
aws.sns.TopicSubscription("alerts-hook", topic=alerts.arn, protocol="http", endpoint="http://hooks.example.com/alerts",
                          redrive_policy=dlq.arn.apply(lambda a: json.dumps({"deadLetterTargetArn": a})))

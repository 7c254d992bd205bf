"""EXPECTED: aws-sqs-queue-disallow-public-policy. CLASS: 1. The queue lets "any S3 bucket" send: the SourceArn
condition looks restrictive but `arn:aws:s3:::*` matches every bucket of every account."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
work = b.queue("uploads", kms, b.dead_letter_queue("uploads", kms))
aws.sqs.QueuePolicy("uploads-policy", queue_url=work.url, policy=work.arn.apply(lambda arn: b.doc({
    "Sid": "S3Notifications", "Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", "Resource": arn,
    "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}})))

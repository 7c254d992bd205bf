"""EXPECTED: aws-sqs-queue-configure-visibility-timeout. CLASS: 5. The worker may run 5 minutes, the queue hides a
message for the default 30 seconds: a second invocation picks up the same order while the first still works."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
work = b.queue("orders", kms, b.dead_letter_queue("orders", kms))
worker = b.function("fulfil", kms, timeout=300, statements=[work.arn.apply(lambda arn: {
    "Sid": "Consume", "Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage",
                                                   "sqs:GetQueueAttributes"], "Resource": arn})])
aws.lambda_.EventSourceMapping("orders-consumer", event_source_arn=work.arn, function_name=worker.arn,
                               batch_size=10, function_response_types=["ReportBatchItemFailures"])

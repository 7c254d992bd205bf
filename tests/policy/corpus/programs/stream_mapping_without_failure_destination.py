"""EXPECTED: aws-lambda-event-source-mapping-configure-failure-handling. CLASS: 5. A DynamoDB stream consumer with
no on-failure destination: a batch that keeps failing is dropped when its retries run out."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
orders = b.table("orders", kms, stream_enabled=True, stream_view_type="NEW_IMAGE")
consumer = b.function("projector", kms)
aws.lambda_.EventSourceMapping("orders-stream", event_source_arn=orders.stream_arn, function_name=consumer.arn,
                               starting_position="LATEST", maximum_retry_attempts=3,
                               bisect_batch_on_function_error=True,
                               function_response_types=["ReportBatchItemFailures"])

"""aws-lambda-event-source-mapping-enable-partial-batch-response."""
POLICY = "aws-lambda-event-source-mapping-enable-partial-batch-response"
TYPE = "aws:lambda/eventSourceMapping:EventSourceMapping"


def test_sqs_mapping_with_partial_batch_response_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_sqs_mapping_without_it_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, {"functionResponseTypes": fx.DELETE})), "lacks ReportBatchItemFailures")


def test_dynamodb_stream_without_it_is_violation(run_rule, make, violation, fx):
    stream = "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2026-01-01T00:00:00.000"
    violation(run_rule(POLICY, make(TYPE, {"eventSourceArn": stream, "functionResponseTypes": fx.DELETE})),
              "lacks ReportBatchItemFailures")

"""aws-lambda-event-source-mapping-configure-failure-handling: failed batches kept, retries bounded."""
import pytest

POLICY = "aws-lambda-event-source-mapping-configure-failure-handling"
TYPE = "aws:lambda/eventSourceMapping:EventSourceMapping"
STREAM = {"eventSourceArn": "arn:aws:dynamodb:us-east-1:123456789012:table/prefs/stream/2026-01-01T00:00:00.000",
          "functionName": "fn", "startingPosition": "LATEST", "maximumRetryAttempts": 5.0,
          "bisectBatchOnFunctionError": True, "functionResponseTypes": ["ReportBatchItemFailures"],
          "destinationConfig": {"onFailure": {"destinationArn": "arn:aws:sqs:us-east-1:123456789012:dlq"}}}
QUEUE = {"eventSourceArn": "arn:aws:sqs:us-east-1:123456789012:work", "functionName": "fn",
         "functionResponseTypes": ["ReportBatchItemFailures"]}


def test_stream_mapping_with_destination_and_bounded_retries_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE, props=STREAM)) == []
    assert run_rule(POLICY, make(TYPE, props=QUEUE)) == []


@pytest.mark.parametrize("changes, fragment", [
    ({"destinationConfig": None}, "no `destinationConfig.onFailure`"),
    ({"maximumRetryAttempts": -1.0, "bisectBatchOnFunctionError": False}, "retries forever"),
])
def test_stream_mapping_losing_or_blocking_on_poison_records_is_violation(run_rule, make, fx, violation, changes, fragment):
    changes = {k: (fx.DELETE if v is None else v) for k, v in changes.items()}
    violation(run_rule(POLICY, make(TYPE, changes, props=STREAM)), fragment)


def test_sqs_mapping_without_partial_batch_responses_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"functionResponseTypes": fx.DELETE}, props=QUEUE)), "ReportBatchItemFailures")


def test_stream_mapping_without_partial_batch_responses_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"functionResponseTypes": fx.DELETE}, props=STREAM)),
              "ReportBatchItemFailures")

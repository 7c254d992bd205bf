"""Lambda event source mappings keep failed batches and stop retrying poison records."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

STREAMS = ("arn:aws:kinesis:", "arn:aws:dynamodb:", "arn:aws:kafka:")
META = RuleMeta(
    id="LAMBDA-013", pillar=Pillar.RELIABILITY, severity=Severity.HIGH,
    description="Lambda event source mappings over streams (Kinesis, DynamoDB Streams, Kafka) send failed "
                "batches to an on-failure destination and bound retries (`maximumRetryAttempts` not -1, or "
                "`bisectBatchOnFunctionError`), otherwise one poison record blocks its shard until it expires and "
                "is then lost. Every queue and stream mapping reports partial batch failures "
                "(`ReportBatchItemFailures`), so one bad record is retried (and finally dead-lettered) alone "
                "instead of sending its whole batch back.",
    remediation="Set destination_config={'on_failure': {'destination_arn': dlq.arn}}, maximum_retry_attempts, "
                "bisect_batch_on_function_error=True and function_response_types=['ReportBatchItemFailures'].",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP01",
    url="https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html")


def check(props, _config):
    source = str(props.get("eventSourceArn") or "")
    batched = source.startswith(("arn:aws:sqs:", *STREAMS)) or bool(props.get("selfManagedEventSource"))
    if batched and "ReportBatchItemFailures" not in (props.get("functionResponseTypes") or []):
        yield "the mapping does not report partial batch failures (`ReportBatchItemFailures`); one bad record " \
              "fails, and replays, its whole batch."
    if source.startswith("arn:aws:sqs:") or not batched:
        return
    if not get_path(props, "destinationConfig.onFailure.destinationArn"):
        yield "the stream mapping has no `destinationConfig.onFailure`; failed batches would be dropped."
    retries = props.get("maximumRetryAttempts")
    if (retries is None or retries == -1) and props.get("bisectBatchOnFunctionError") is not True:
        yield "the stream mapping retries forever (`maximumRetryAttempts` unset or -1, no bisecting)."


POLICY = resource_policy(__name__, META, ["aws:lambda/eventSourceMapping:EventSourceMapping"], check)

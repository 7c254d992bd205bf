"""Queue and stream event source mappings report partial batch failures."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

BATCHED_SOURCES = (":sqs:", ":kinesis:", ":dynamodb:", ":kafka:")

META = RuleMeta(
    id="LAMBDA-101", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="Lambda event source mappings on SQS queues and Kinesis/DynamoDB/Kafka streams set "
                "`functionResponseTypes` to ReportBatchItemFailures, so one failing record is retried (and "
                "finally dead-lettered) alone instead of failing, and replaying, its whole batch.",
    remediation="Set function_response_types=['ReportBatchItemFailures'] and return "
                "{'batchItemFailures': [...]} from the handler (Powertools' BatchProcessor does).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP03",
    url="https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html")


def check(props, _config):
    source = get_path(props, "eventSourceArn") or ""
    if isinstance(source, str) and any(s in source for s in BATCHED_SOURCES) and \
            "ReportBatchItemFailures" not in (get_path(props, "functionResponseTypes") or []):
        yield "`functionResponseTypes` lacks ReportBatchItemFailures; one bad record fails its whole batch."


POLICY = resource_policy(__name__, META, ["aws:lambda/eventSourceMapping:EventSourceMapping"], check)

"""Firehose streams log delivery errors and keep failed records under an error prefix."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="FIREHOSE-002", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.MEDIUM,
    description="Firehose delivery streams to S3 enable CloudWatch error logging and set an "
                "`errorOutputPrefix`, so failed deliveries are visible and failed records land apart from good "
                "data.",
    remediation="Set extended_s3_configuration.cloudwatch_logging_options (enabled, log group, stream) and "
                "error_output_prefix (e.g. errors/!{firehose:error-output-type}/).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="OPS08-BP01",
    url="https://docs.aws.amazon.com/firehose/latest/dev/monitoring-with-cloudwatch-logs.html")


def check(props, _config):
    s3 = props.get("extendedS3Configuration")
    if not s3:
        return
    if get_path(s3, "cloudwatchLoggingOptions.enabled") is not True:
        yield "`extendedS3Configuration.cloudwatchLoggingOptions.enabled` is not true."
    if not s3.get("errorOutputPrefix"):
        yield "`extendedS3Configuration.errorOutputPrefix` is not set."


POLICY = resource_policy(__name__, META, ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"], check)

"""Firehose streams buffer deliberately, with the minimum size dynamic partitioning and Parquet need."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="FIREHOSE-003", pillar=Pillar.PERFORMANCE_EFFICIENCY, severity=Severity.MEDIUM,
    description="Firehose delivery streams to S3 set `bufferingSize` and `bufferingInterval` explicitly. With "
                "dynamic partitioning or Parquet conversion the buffer is at least 64 MB, the documented "
                "minimum, so files are large enough for efficient Athena scans.",
    remediation="Set extended_s3_configuration.buffering_size (>= 64 with dynamic partitioning or format "
                "conversion) and buffering_interval (60-900 s).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="PERF03-BP02",
    url="https://docs.aws.amazon.com/firehose/latest/dev/dynamic-partitioning.html")


def check(props, _config):
    s3 = props.get("extendedS3Configuration")
    if not s3:
        return
    size, interval = s3.get("bufferingSize"), s3.get("bufferingInterval")
    if size is None or interval is None:
        yield "`bufferingSize` and `bufferingInterval` must both be set explicitly."
        return
    needs_large = get_path(s3, "dynamicPartitioningConfiguration.enabled") is True or \
        get_path(s3, "dataFormatConversionConfiguration.enabled") is True
    if needs_large and size < 64:
        yield f"`bufferingSize` is {int(size)} MB; dynamic partitioning and Parquet conversion need >= 64 MB."


POLICY = resource_policy(__name__, META, ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"], check)

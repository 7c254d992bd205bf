"""Firehose streams into the data lake convert records to a columnar format."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="FIREHOSE-004", pillar=Pillar.SUSTAINABILITY, severity=Severity.LOW,
    description="Firehose delivery streams to S3 convert records to Parquet or ORC "
                "(`dataFormatConversionConfiguration`) with S3-level compression UNCOMPRESSED. Columnar files "
                "are several times smaller than JSON and let Athena read only the columns a query needs, "
                "which cuts storage and compute.",
    remediation="Enable data_format_conversion_configuration with a Parquet serializer and a Glue schema, and "
                "set compression_format='UNCOMPRESSED' (Parquet compresses its pages itself).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SUS04-BP02",
    url="https://docs.aws.amazon.com/firehose/latest/dev/record-format-conversion.html")


def check(props, _config):
    s3 = props.get("extendedS3Configuration")
    if not s3:
        return
    conversion = s3.get("dataFormatConversionConfiguration") or {}
    if conversion.get("enabled") is False or not conversion:
        yield "`dataFormatConversionConfiguration` is not enabled; records are stored row by row."
    elif s3.get("compressionFormat", "UNCOMPRESSED") != "UNCOMPRESSED":
        yield f"`compressionFormat` is {s3.get('compressionFormat')!r}; must be UNCOMPRESSED with format conversion."
    elif not get_path(conversion, "outputFormatConfiguration.serializer"):
        yield "`outputFormatConfiguration.serializer` is not set (Parquet or ORC)."


POLICY = resource_policy(__name__, META, ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"], check)

"""Firehose streams encrypt data at rest in the stream and in S3 with the stack's key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="FIREHOSE-001", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Firehose delivery streams encrypt buffered records with a customer-managed key "
                "(`serverSideEncryption` with CUSTOMER_MANAGED_CMK, for Direct PUT sources) and write S3 objects "
                "with a KMS key (`extendedS3Configuration.kmsKeyArn`).",
    remediation="Set server_side_encryption={'enabled': True, 'key_type': 'CUSTOMER_MANAGED_CMK', 'key_arn': "
                "key.arn} and extended_s3_configuration.kms_key_arn=key.arn.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/firehose/latest/dev/encryption.html")


def check(props, _config):
    # A Kinesis or MSK source is encrypted by that source; Firehose SSE applies to Direct PUT only.
    if not props.get("kinesisSourceConfiguration") and not props.get("mskSourceConfiguration"):
        sse = props.get("serverSideEncryption") or {}
        if sse.get("enabled") is not True or sse.get("keyType") != "CUSTOMER_MANAGED_CMK" or not sse.get("keyArn"):
            yield "`serverSideEncryption` is not enabled with a CUSTOMER_MANAGED_CMK key."
    if props.get("destination") == "extended_s3" and not get_path(props, "extendedS3Configuration.kmsKeyArn"):
        yield "`extendedS3Configuration.kmsKeyArn` is not set; S3 objects would use the bucket default only."


POLICY = resource_policy(__name__, META, ["aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"], check)

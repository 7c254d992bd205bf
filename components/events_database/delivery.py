"""Firehose: transform every source to the canonical schema, convert to Parquet, partition by channel/kind/date.

Records the transform marks ProcessingFailed land under the error prefix; the raw source records are also
backed up (GZIP) under `raw/`, so nothing that reached the stream is ever lost, not even by a transform bug.
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import iam
from ..kms import EncryptionKey
from ..lambda_function import PackagedFunction
from ..naming import fitted_name
from ..observability import log_group
from . import schema

STREAM_NAME_LENGTH = 64  # Firehose's limit on delivery stream names
RAW_PREFIX = "raw/"
RAW_ERRORS_PREFIX = "raw-errors/"
WRITTEN_PREFIXES = (schema.EVENTS_PREFIX, schema.ERRORS_PREFIX, RAW_PREFIX, RAW_ERRORS_PREFIX)
# GZIP pages instead of Firehose's default SNAPPY: about a third fewer bytes for Athena to scan (and bill) per
# query, for a little more CPU on read (bench/view_bytes.py).
PARQUET_COMPRESSION = "GZIP"


@dataclass
class DeliveryArgs:
    bucket_arn: pulumi.Output[str]
    key: EncryptionKey
    transform: PackagedFunction
    database_name: pulumi.Output[str]
    table: aws.glue.CatalogTable
    log_retention_days: int
    buffering_interval_seconds: int
    buffering_size_mb: int
    stream_suffix: str = "events"
    """The stream's name after `<project>-<stack>-`."""


def stream_name(project: str, stack: str, suffix: str) -> str:
    """`<project>-<stack>-<suffix>` within Firehose's 64 characters (naming.fitted_name)."""
    return fitted_name(project, stack, STREAM_NAME_LENGTH, suffix)


def create_delivery_stream(name: str, args: DeliveryArgs, parent: pulumi.Resource
                           ) -> aws.kinesis.FirehoseDeliveryStream:
    child = pulumi.ResourceOptions(parent=parent)
    logs = log_group(f"{name}-firehose-logs", f"firehose/{name}", args.log_retention_days, args.key.arn, parent)
    for stream in ("DestinationDelivery", "BackupDelivery"):
        aws.cloudwatch.LogStream(f"{name}-firehose-{stream.lower()}", name=stream, log_group_name=logs.name,
                                 opts=child)
    region, account = iam.region_name(), iam.account_id()
    glue_arns = [pulumi.Output.concat("arn:aws:glue:", region, ":", account, ":catalog"),
                 pulumi.Output.concat("arn:aws:glue:", region, ":", account, ":database/", args.database_name),
                 pulumi.Output.concat("arn:aws:glue:", region, ":", account, ":table/", args.database_name, "/",
                                      args.table.name)]
    role, policy = iam.service_role(f"{name}-firehose-role", f"{name}-firehose-policy", "firehose.amazonaws.com", [
        iam.allow(["s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket",
                   "s3:ListBucketMultipartUploads", "s3:PutObject"],
                  # Objects only under what the stream writes (not athena-results/ or other prefixes of the lake).
                  [args.bucket_arn, *[pulumi.Output.concat(args.bucket_arn, f"/{prefix}*") for prefix in
                                      WRITTEN_PREFIXES]], sid="DataLake"),
        iam.allow(["glue:GetTable", "glue:GetTableVersion", "glue:GetTableVersions"], glue_arns,
                  sid="ParquetSchema"),
        iam.allow(["lambda:InvokeFunction", "lambda:GetFunctionConfiguration"],
                  [args.transform.arn, pulumi.Output.concat(args.transform.arn, ":*")], sid="Transform"),
        iam.allow(["kms:Decrypt", "kms:GenerateDataKey"], [args.key.arn], sid="StackKey"),
        iam.allow(["logs:PutLogEvents"], [pulumi.Output.concat(logs.arn, ":*")], sid="ErrorLogs"),
    ], parent, description="Firehose delivery of engagement events")
    logging = aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationCloudwatchLoggingOptionsArgs(
        enabled=True, log_group_name=logs.name, log_stream_name="DestinationDelivery")
    s3 = aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationArgs(
        bucket_arn=args.bucket_arn, role_arn=role.arn, kms_key_arn=args.key.arn,
        prefix=schema.firehose_prefix(), error_output_prefix=schema.error_output_prefix(),
        buffering_interval=args.buffering_interval_seconds, buffering_size=args.buffering_size_mb,
        # Parquet compresses its own pages (PARQUET_COMPRESSION); S3-level compression must stay off with conversion.
        compression_format="UNCOMPRESSED", cloudwatch_logging_options=logging,
        dynamic_partitioning_configuration=aws.kinesis
        .FirehoseDeliveryStreamExtendedS3ConfigurationDynamicPartitioningConfigurationArgs(
            enabled=True, retry_duration=300),
        processing_configuration=aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationArgs(
            enabled=True, processors=[
                aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationProcessorArgs(
                    type="Lambda", parameters=[_param("LambdaArn", pulumi.Output.concat(args.transform.arn,
                                                                                          ":$LATEST")),
                                               _param("BufferSizeInMBs", "1"),
                                               _param("BufferIntervalInSeconds", "60"),
                                               _param("NumberOfRetries", "3")])]),
        data_format_conversion_configuration=_parquet_conversion(args, role),
        s3_backup_mode="Enabled",
        s3_backup_configuration=aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationS3BackupConfigurationArgs(
            bucket_arn=args.bucket_arn, role_arn=role.arn, kms_key_arn=args.key.arn, compression_format="GZIP",
            prefix=f"{RAW_PREFIX}!{{timestamp:yyyy/MM/dd/HH}}/", error_output_prefix=RAW_ERRORS_PREFIX,
            buffering_interval=args.buffering_interval_seconds, buffering_size=args.buffering_size_mb,
            cloudwatch_logging_options=aws.kinesis
            .FirehoseDeliveryStreamExtendedS3ConfigurationS3BackupConfigurationCloudwatchLoggingOptionsArgs(
                enabled=True, log_group_name=logs.name, log_stream_name="BackupDelivery")))
    return aws.kinesis.FirehoseDeliveryStream(
        f"{name}-stream", name=stream_name(pulumi.get_project(), pulumi.get_stack(), args.stream_suffix),
        destination="extended_s3",
        server_side_encryption=aws.kinesis.FirehoseDeliveryStreamServerSideEncryptionArgs(
            enabled=True, key_type="CUSTOMER_MANAGED_CMK", key_arn=args.key.arn),
        extended_s3_configuration=s3,
        # Firehose validates its role's access at creation: the policy must be in place first.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[policy]))


def _param(name: str, value: pulumi.Input[str]):
    return aws.kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationProcessingConfigurationProcessorParameterArgs(
        parameter_name=name, parameter_value=value)


def _parquet_conversion(args: DeliveryArgs, role: aws.iam.Role):
    conversion = aws.kinesis
    prefix = "FirehoseDeliveryStreamExtendedS3ConfigurationDataFormatConversionConfiguration"
    return getattr(conversion, f"{prefix}Args")(
        enabled=True,
        input_format_configuration=getattr(conversion, f"{prefix}InputFormatConfigurationArgs")(
            deserializer=getattr(conversion, f"{prefix}InputFormatConfigurationDeserializerArgs")(
                open_x_json_ser_de=getattr(
                    conversion, f"{prefix}InputFormatConfigurationDeserializerOpenXJsonSerDeArgs")())),
        output_format_configuration=getattr(conversion, f"{prefix}OutputFormatConfigurationArgs")(
            serializer=getattr(conversion, f"{prefix}OutputFormatConfigurationSerializerArgs")(
                parquet_ser_de=getattr(
                    conversion, f"{prefix}OutputFormatConfigurationSerializerParquetSerDeArgs")(
                    compression=PARQUET_COMPRESSION))),
        schema_configuration=getattr(conversion, f"{prefix}SchemaConfigurationArgs")(
            database_name=args.database_name, table_name=args.table.name, role_arn=role.arn,
            version_id="LATEST"))

"""The solution's bucket, Glue catalog (attributes table, run features, score tables) and deployed files."""
from __future__ import annotations

import pulumi
import pulumi_aws as aws

from contracts import churn_scores
from contracts import churn_scoring_inputs as inputs
from contracts.churn_features import FeatureSpec

from .. import athena
from ..config import PredictiveSegmentationSettings
from ..events_database.catalog import PARQUET_INPUT, PARQUET_OUTPUT, PARQUET_SERDE
from ..foundation import Foundation
from ..secure_bucket import LifecycleRule, SecureBucket, SecureBucketArgs
from . import code_bundle

FEATURE_SQL_KEY = "pipeline/features.sql"
ATTRIBUTES_TABLE, SCORES_TABLE, LATEST_TABLE = "customer_attributes", "churn_scores", "churn_scores_latest"
CSV_SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe"
TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat"
TEXT_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"


def lifecycle(settings: PredictiveSegmentationSettings) -> list[LifecycleRule]:
    return [
        LifecycleRule("expire-run-scratch", churn_scores.RUNS_PREFIX, expiration_days=settings.scratch_retention_days),
        athena.results_lifecycle_rule(),
        LifecycleRule("expire-score-history", churn_scores.HISTORY_PREFIX,
                      expiration_days=settings.scores_retention_days),
        LifecycleRule("expire-audience-history", churn_scores.AUDIENCE_HISTORY_PREFIX,
                      expiration_days=settings.scores_retention_days),
        LifecycleRule("expire-model-candidates", churn_scores.CANDIDATES_PREFIX, expiration_days=90),
        # latest/ and models/current/ are overwritten in place: older versions stay 30 days for rollback
        LifecycleRule("keep-previous-latest", "scores/latest/", noncurrent_expiration_days=30),
    ]


def create_bucket(name: str, settings: PredictiveSegmentationSettings, foundation: Foundation, protect: bool,
                  parent: pulumi.Resource) -> SecureBucket:
    return SecureBucket(f"{name}-data", SecureBucketArgs(
        kms_key=foundation.key, access_log_bucket=foundation.access_logs.bucket, log_prefix=f"s3/{name}-data/",
        protect=protect, force_destroy=not protect, lifecycle_rules=lifecycle(settings)),
        opts=pulumi.ResourceOptions(parent=parent))


def database_name() -> str:
    return f"{pulumi.get_project()}_{pulumi.get_stack()}_segmentation".replace("-", "_").lower()


def create_catalog(name: str, settings: PredictiveSegmentationSettings, spec: FeatureSpec,
                   bucket: SecureBucket, protect: bool, parent: pulumi.Resource) -> aws.glue.CatalogDatabase:
    child = pulumi.ResourceOptions(parent=parent)
    database = aws.glue.CatalogDatabase(
        f"{name}-database", name=database_name(), description="Predictive segmentation: customer attributes and "
                                                             "churn scores", opts=pulumi.ResourceOptions(
            parent=parent, protect=protect))
    numeric = set(spec.attributes.numeric)
    parquet = settings.attributes_format == "parquet"
    columns = [aws.glue.CatalogTableStorageDescriptorColumnArgs(
        name=glue, type="double" if parquet and original in numeric else "string", comment=original)
        for original, glue in zip(spec.attributes.columns, spec.attributes.glue_columns)]
    if parquet:
        # Read by position, so the files' own column names (with dots, capitals) need not be Athena names.
        serde, inputs, outputs, parameters = PARQUET_SERDE, PARQUET_INPUT, PARQUET_OUTPUT, {
            "classification": "parquet", "parquet.column.index.access": "true"}
        serde_parameters = {"serialization.format": "1"}
    else:
        serde, inputs, outputs, parameters = CSV_SERDE, TEXT_INPUT, TEXT_OUTPUT, {
            "classification": "csv", "skip.header.line.count": "1"}
        serde_parameters = {"separatorChar": ",", "quoteChar": "\"", "escapeChar": "\\"}
    aws.glue.CatalogTable(
        f"{name}-attributes-table", name=ATTRIBUTES_TABLE, database_name=database.name, table_type="EXTERNAL_TABLE",
        description="Customer attributes and the churn label (predictiveSegmentationAttributesLocation)",
        parameters=parameters, storage_descriptor=aws.glue.CatalogTableStorageDescriptorArgs(
            location=settings.attributes_location, input_format=inputs, output_format=outputs, columns=columns,
            ser_de_info=aws.glue.CatalogTableStorageDescriptorSerDeInfoArgs(
                serialization_library=serde, parameters=serde_parameters)), opts=child)
    score_columns = [aws.glue.CatalogTableStorageDescriptorColumnArgs(name=n, type=t)
                     for n, t in churn_scores.SCORE_COLUMNS]

    def parquet_table(table: str, location, description: str, partitioned: bool) -> None:
        aws.glue.CatalogTable(
            f"{name}-{table.replace('_', '-')}-table", name=table, database_name=database.name,
            table_type="EXTERNAL_TABLE", description=description,
            partition_keys=[aws.glue.CatalogTablePartitionKeyArgs(name="dt", type="string")] if partitioned else None,
            parameters={"classification": "parquet", **({
                "projection.enabled": "true", "projection.dt.type": "date", "projection.dt.format": "yyyy-MM-dd",
                "projection.dt.range": "2020-01-01,NOW", "projection.dt.interval": "1",
                "projection.dt.interval.unit": "DAYS",
                "storage.location.template": bucket.name.apply(
                    lambda b: f"s3://{b}/{churn_scores.HISTORY_PREFIX}dt=${{dt}}/")} if partitioned else {})},
            storage_descriptor=aws.glue.CatalogTableStorageDescriptorArgs(
                location=location, input_format=PARQUET_INPUT, output_format=PARQUET_OUTPUT, columns=score_columns,
                ser_de_info=aws.glue.CatalogTableStorageDescriptorSerDeInfoArgs(
                    serialization_library=PARQUET_SERDE, parameters={"serialization.format": "1"})), opts=child)

    run_features_table(name, spec, bucket, database, parent)
    parquet_table(SCORES_TABLE, bucket.name.apply(lambda b: f"s3://{b}/{churn_scores.HISTORY_PREFIX}"),
                  "Churn scores per customer and run day (partition dt)", partitioned=True)
    parquet_table(LATEST_TABLE, bucket.name.apply(lambda b: f"s3://{b}/scores/latest/"),
                  "The latest complete churn scores, one row per customer", partitioned=False)
    return database


def run_features_table(name: str, spec: FeatureSpec, bucket: SecureBucket, database: aws.glue.CatalogDatabase,
                       parent: pulumi.Resource) -> aws.glue.CatalogTable:
    """The run's feature rows as the feature query unloaded them (gzip JSON lines under runs/<run_id>/features/),
    for the queries that unload what the scoring step reads (contracts/churn_scoring_inputs). The run id is an
    injected projection: every query names its run, and no partition is ever registered."""
    columns = [aws.glue.CatalogTableStorageDescriptorColumnArgs(name=n, type=t) for n, t in inputs.table_columns(spec)]
    return aws.glue.CatalogTable(
        f"{name}-run-features-table", name=inputs.RUN_FEATURES_TABLE, database_name=database.name,
        table_type="EXTERNAL_TABLE", description="One scoring run's feature rows (partition run_id, projected)",
        partition_keys=[aws.glue.CatalogTablePartitionKeyArgs(name=inputs.RUN_ID_COLUMN, type="string")],
        parameters={"classification": "json", "compressionType": "gzip", "projection.enabled": "true",
                    f"projection.{inputs.RUN_ID_COLUMN}.type": "injected",
                    "storage.location.template": bucket.name.apply(
                        lambda b: f"s3://{b}/{churn_scores.RUNS_PREFIX}${{{inputs.RUN_ID_COLUMN}}}/features/")},
        storage_descriptor=aws.glue.CatalogTableStorageDescriptorArgs(
            location=bucket.name.apply(lambda b: f"s3://{b}/{churn_scores.RUNS_PREFIX}"), input_format=TEXT_INPUT,
            output_format=TEXT_OUTPUT, columns=columns, ser_de_info=aws.glue.CatalogTableStorageDescriptorSerDeInfoArgs(
                serialization_library=JSON_SERDE, parameters={"ignore.malformed.json": "false"})),
        opts=pulumi.ResourceOptions(parent=parent))


def upload_files(name: str, bucket: SecureBucket, foundation: Foundation, feature_sql: pulumi.Input[str],
                 parent: pulumi.Resource) -> pulumi.Output[str]:
    """The rendered feature SQL and the training source directory; returns the source directory's S3 URI."""
    child = pulumi.ResourceOptions(parent=parent)
    aws.s3.BucketObjectv2(f"{name}-feature-sql", bucket=bucket.name, key=FEATURE_SQL_KEY, content=feature_sql,
                          content_type="text/plain", server_side_encryption="aws:kms",
                          kms_key_id=foundation.key.arn, opts=child)
    path, digest = code_bundle.build()
    key = f"code/sourcedir-{digest[:16]}.tar.gz"
    aws.s3.BucketObjectv2(f"{name}-training-code", bucket=bucket.name, key=key, source=pulumi.FileAsset(str(path)),
                          content_type="application/gzip", server_side_encryption="aws:kms",
                          kms_key_id=foundation.key.arn, opts=child)
    return bucket.name.apply(lambda b: f"s3://{b}/{key}")

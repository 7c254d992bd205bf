"""Glue database, the all_events table with partition projection and the analyst views.

The table and the views are declared as resources: no crawler, no partition Lambda and no DDL run at deploy
time (the seed ran one Athena query per delivered file). Views are Glue tables of type VIRTUAL_VIEW in the
encoding Athena itself writes, so `SELECT * FROM email_open` works the moment `pulumi up` finishes.
"""
from __future__ import annotations

import pulumi
import pulumi_aws as aws

from . import schema, views

PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
PARQUET_INPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
PARQUET_OUTPUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"


def _columns(columns) -> list[aws.glue.CatalogTableStorageDescriptorColumnArgs]:
    return [aws.glue.CatalogTableStorageDescriptorColumnArgs(name=c.name, type=c.hive_type, comment=c.comment)
            for c in columns]


def create_database(name: str, database_name: str, protect: bool,
                    parent: pulumi.Resource) -> aws.glue.CatalogDatabase:
    return aws.glue.CatalogDatabase(
        f"{name}-database", name=database_name,
        description="Engagement events (SES, End User Messaging, apps) in one cross-channel schema",
        opts=pulumi.ResourceOptions(parent=parent, protect=protect))


def create_events_table(name: str, database: aws.glue.CatalogDatabase, bucket_name: pulumi.Output[str],
                        parent: pulumi.Resource) -> aws.glue.CatalogTable:
    return aws.glue.CatalogTable(
        f"{name}-all-events", name=schema.TABLE_NAME, database_name=database.name, table_type="EXTERNAL_TABLE",
        description="Every engagement event, one row per event (Parquet, partitioned by channel/kind/dt)",
        parameters=bucket_name.apply(schema.partition_projection_parameters),
        partition_keys=[aws.glue.CatalogTablePartitionKeyArgs(name=c.name, type=c.hive_type, comment=c.comment)
                        for c in schema.PARTITION_KEYS],
        storage_descriptor=aws.glue.CatalogTableStorageDescriptorArgs(
            location=bucket_name.apply(lambda b: f"s3://{b}/{schema.EVENTS_PREFIX}"),
            input_format=PARQUET_INPUT, output_format=PARQUET_OUTPUT,
            ser_de_info=aws.glue.CatalogTableStorageDescriptorSerDeInfoArgs(
                name="parquet", serialization_library=PARQUET_SERDE, parameters={"serialization.format": "1"}),
            columns=_columns(schema.EVENT_COLUMNS)),
        opts=pulumi.ResourceOptions(parent=parent))


def create_views(name: str, database: aws.glue.CatalogDatabase, table: aws.glue.CatalogTable,
                 database_name: str, parent: pulumi.Resource) -> list[aws.glue.CatalogTable]:
    created = []
    for view in views.load_views():
        table_input = views.glue_view_table_input(view, database_name)
        created.append(aws.glue.CatalogTable(
            f"{name}-view-{view.name.replace('_', '-')}", name=table_input["name"], database_name=database.name,
            table_type=table_input["table_type"], view_original_text=table_input["view_original_text"],
            view_expanded_text=table_input["view_expanded_text"], parameters=table_input["parameters"],
            storage_descriptor=aws.glue.CatalogTableStorageDescriptorArgs(columns=[
                aws.glue.CatalogTableStorageDescriptorColumnArgs(name=col_name, type=col_type)
                for col_name, col_type in table_input["columns"]]),
            opts=pulumi.ResourceOptions(parent=parent, depends_on=[table])))
    return created

"""Glue tables over S3 store data in a columnar format."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

COLUMNAR = ("parquet", "orc")
META = RuleMeta(
    id="GLUE-004", pillar=Pillar.SUSTAINABILITY, severity=Severity.LOW,
    description="External Glue tables store their data as Parquet or ORC. Columnar, compressed files are read "
                "column by column, so Athena scans (and the storage behind them) shrink several-fold compared "
                "with JSON or CSV.",
    remediation="Write the data as Parquet (e.g. Firehose record format conversion) and set the storage "
                "descriptor's input/output format and SerDe to the Parquet classes.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SUS04-BP02",
    url="https://docs.aws.amazon.com/athena/latest/ug/columnar-storage.html")


def check(props, _config):
    if props.get("tableType") == "VIRTUAL_VIEW":
        return
    descriptor = props.get("storageDescriptor") or {}
    formats = " ".join(str(v) for v in (descriptor.get("inputFormat"),
                                        get_path(descriptor, "serDeInfo.serializationLibrary")) if v).lower()
    if not any(kind in formats for kind in COLUMNAR):
        yield f"storage format {formats or '(none)'!r} is not Parquet or ORC."


POLICY = resource_policy(__name__, META, ["aws:glue/catalogTable:CatalogTable"], check)

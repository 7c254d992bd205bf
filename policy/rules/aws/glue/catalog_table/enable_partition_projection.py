"""Partitioned Glue tables use Athena partition projection."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="GLUE-003", pillar=Pillar.PERFORMANCE_EFFICIENCY, severity=Severity.MEDIUM,
    description="Partitioned Glue tables enable Athena partition projection (`projection.enabled` = true), so "
                "queries compute partitions from the table properties instead of listing them from the "
                "catalog and new partitions need no crawler or MSCK REPAIR.",
    remediation="Add parameters `projection.enabled`='true', `projection.<key>.type` and "
                "`storage.location.template` for every partition key.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="PERF03-BP02",
    url="https://docs.aws.amazon.com/athena/latest/ug/partition-projection.html")


def check(props, _config):
    # Views have no partitions of their own; unpartitioned tables have nothing to project.
    if props.get("tableType") == "VIRTUAL_VIEW" or not props.get("partitionKeys"):
        return
    parameters = props.get("parameters") or {}
    if str(parameters.get("projection.enabled", "")).lower() != "true":
        yield "the table has partition keys but `parameters['projection.enabled']` is not 'true'."
        return
    for key in props.get("partitionKeys") or []:
        if f"projection.{key.get('name')}.type" not in parameters:
            yield f"partition key {key.get('name')!r} has no `projection.{key.get('name')}.type`."


POLICY = resource_policy(__name__, META, ["aws:glue/catalogTable:CatalogTable"], check)

"""Athena workgroups cap the data one query may scan."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="ATHENA-003", pillar=Pillar.COST_OPTIMIZATION, severity=Severity.MEDIUM,
    description="Athena workgroups set `bytesScannedCutoffPerQuery` no higher than the configured maximum. "
                "Athena bills per byte scanned, so one query without a partition filter could otherwise scan "
                "the whole lake.",
    remediation="Set configuration.bytes_scanned_cutoff_per_query (bytes, >= 10 MB) at or below setting "
                "`maximumBytes` (engagement:eventsDatabaseBytesScannedCutoffMb controls it in this program).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="COST02-BP05",
    url="https://docs.aws.amazon.com/athena/latest/ug/workgroups-setting-control-limits-cloudwatch.html",
    settings={"maximumBytes": {"type": "integer", "minimum": 10485760, "default": 107374182400}})


def check(props, config):
    cutoff = get_path(props, "configuration.bytesScannedCutoffPerQuery")
    if cutoff is None:
        yield "`configuration.bytesScannedCutoffPerQuery` is not set; queries may scan without limit."
    elif cutoff > config["maximumBytes"]:
        yield f"`bytesScannedCutoffPerQuery` is {int(cutoff)} bytes; the maximum is {config['maximumBytes']}."


POLICY = resource_policy(__name__, META, ["aws:athena/workgroup:Workgroup"], check)

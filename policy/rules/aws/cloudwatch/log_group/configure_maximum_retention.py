"""CloudWatch log groups do not keep logs longer than needed."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="LOGS-002", pillar=Pillar.SUSTAINABILITY, severity=Severity.LOW,
    description="CloudWatch log groups keep logs no longer than the configured maximum. Operational logs lose "
                "their value quickly; storing them for years uses storage nobody reads. Audit archives belong "
                "in S3 with lifecycle rules.",
    remediation="Lower retention_in_days to the maximum (setting `maximumRetentionDays`) or export long-term "
                "records to S3 with a lifecycle transition.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SUS04-BP03",
    url="https://docs.aws.amazon.com/wellarchitected/latest/sustainability-pillar/sus_sus_data_a4.html",
    settings={"maximumRetentionDays": {"type": "integer", "minimum": 1, "default": 731}})


def check(props, config):
    retention = props.get("retentionInDays")
    if retention and retention > config["maximumRetentionDays"]:
        yield f"`retentionInDays` is {int(retention)}; at most {config['maximumRetentionDays']} allowed."


POLICY = resource_policy(__name__, META, ["aws:cloudwatch/logGroup:LogGroup"], check)

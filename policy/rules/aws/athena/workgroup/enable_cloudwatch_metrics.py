"""Athena workgroups publish query metrics to CloudWatch."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, value_policy

# The provider default is true; only an explicit false disables the metrics.
POLICY = value_policy(__name__, RuleMeta(
    id="ATHENA-004", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.LOW,
    description="Athena workgroups publish CloudWatch metrics (bytes scanned, query time), which cost and "
                "performance alarms need.",
    remediation="Set configuration.publish_cloudwatch_metrics_enabled=True.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="OPS08-BP01",
    url="https://docs.aws.amazon.com/athena/latest/ug/query-metrics-viewing.html"),
    "aws:athena/workgroup:Workgroup", "configuration.publishCloudwatchMetricsEnabled", [True],
    absent_is_violation=False)

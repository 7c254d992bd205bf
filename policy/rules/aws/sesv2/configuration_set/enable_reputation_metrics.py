"""SES configuration sets publish reputation metrics."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, value_policy

POLICY = value_policy(__name__, RuleMeta(
    id="SES-002", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.LOW,
    description="SES v2 configuration sets enable reputation metrics, so bounce and complaint rates per "
                "configuration set can be alarmed on before SES pauses sending.",
    remediation="Set reputation_options={'reputation_metrics_enabled': True}.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="OPS08-BP02",
    url="https://docs.aws.amazon.com/ses/latest/dg/monitor-sending-activity.html"),
    "aws:sesv2/configurationSet:ConfigurationSet", "reputationOptions.reputationMetricsEnabled", [True],
    absent_is_violation=True)

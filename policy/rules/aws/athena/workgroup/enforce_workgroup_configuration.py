"""Athena workgroups enforce their own settings over client-side settings."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, value_policy

# The provider defaults enforceWorkgroupConfiguration to true, so an absent value is compliant.
POLICY = value_policy(__name__, RuleMeta(
    id="ATHENA-001", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Athena workgroups enforce the workgroup configuration, so clients cannot override the result "
                "location, result encryption or the bytes-scanned limit.",
    remediation="Set configuration.enforce_workgroup_configuration=True (the provider default).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings-override.html"),
    "aws:athena/workgroup:Workgroup", "configuration.enforceWorkgroupConfiguration", [True],
    absent_is_violation=False)

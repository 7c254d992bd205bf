"""Lambda functions trace requests with AWS X-Ray in Active mode."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, value_policy

POLICY = value_policy(__name__, RuleMeta(
    id="LAMBDA-001", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.MEDIUM,
    description="Lambda functions trace requests with AWS X-Ray in Active mode.",
    remediation="Set `tracing_config={'mode': 'Active'}` and grant xray:PutTraceSegments to the role.",
    default_level=EnforcementLevel.MANDATORY, wa_reference="OPS04-BP03",
    url="https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html"),
    "aws:lambda/function:Function", "tracingConfig.mode", ["Active"], absent_is_violation=True)

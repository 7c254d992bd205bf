"""Step Functions state machines trace executions with X-Ray."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, value_policy

POLICY = value_policy(__name__, RuleMeta(
    id="SFN-002", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.LOW,
    description="Step Functions state machines enable X-Ray tracing, so one trace follows a request through the "
                "state machine and the Lambda functions it calls.",
    remediation="Set tracing_configuration={'enabled': True} and allow X-Ray in the state machine's role.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="OPS04-BP03",
    url="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-xray-tracing.html"),
    "aws:sfn/stateMachine:StateMachine", "tracingConfiguration.enabled", [True], absent_is_violation=True)

"""Step Functions state machines keep execution data out of CloudWatch Logs."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, value_policy

POLICY = value_policy(__name__, RuleMeta(
    id="SFN-006", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="Step Functions logging sets `includeExecutionData` to false: state inputs and outputs (customer "
                "ids, addresses, features) would otherwise be copied into log events, outside the state "
                "machine's encryption and retention. The execution history keeps them for diagnosis.",
    remediation="Set logging_configuration={'include_execution_data': False, ...}; exempt a machine that "
                "provably carries no personal data if its payloads are needed in logs.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC07-BP02",
    url="https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html"),
    "aws:sfn/stateMachine:StateMachine", "loggingConfiguration.includeExecutionData", [False],
    absent_is_violation=False)

"""Step Functions logs do not copy execution input and output."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="SFN-006", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="Step Functions state machines that log keep `loggingConfiguration.includeExecutionData` false. "
                "With it true every state's input and output (customer ids, e-mail addresses, scores) is copied "
                "into CloudWatch Logs, where it outlives the execution and reaches everyone who may read logs.",
    remediation="Set logging_configuration.include_execution_data=False; log identifiers from the states that "
                "need them instead.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC07-BP02",
    url="https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html")


def check(props, _config):
    if get_path(props, "loggingConfiguration.includeExecutionData") is True:
        yield "`loggingConfiguration.includeExecutionData` is true; execution input and output go to the logs."


POLICY = resource_policy(__name__, META, ["aws:sfn/stateMachine:StateMachine"], check)

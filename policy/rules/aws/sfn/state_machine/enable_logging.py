"""Step Functions state machines log executions to CloudWatch Logs."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="SFN-001", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.MEDIUM,
    description="Step Functions state machines log at level ALL or ERROR (setting `levels`) to a log group "
                "(`loggingConfiguration.logDestination`), so failed executions can be diagnosed after the "
                "execution history expires.",
    remediation="Set logging_configuration={'level': 'ERROR', 'include_execution_data': False, "
                "'log_destination': f'{log_group.arn}:*'}.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="OPS08-BP01",
    url="https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html",
    settings={"levels": {"type": "array", "items": {"enum": ["ALL", "ERROR", "FATAL"]}, "minItems": 1,
                         "default": ["ALL", "ERROR"]}})


def check(props, config):
    logging = props.get("loggingConfiguration") or {}
    if logging.get("level", "OFF") not in config["levels"]:
        yield f"`loggingConfiguration.level` is {logging.get('level', 'OFF')!r}; expected one of {config['levels']}."
    elif not logging.get("logDestination"):
        yield "`loggingConfiguration.logDestination` is not set."


POLICY = resource_policy(__name__, META, ["aws:sfn/stateMachine:StateMachine"], check)

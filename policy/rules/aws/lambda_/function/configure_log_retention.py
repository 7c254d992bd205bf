"""Lambda functions log into an explicit log group of the stack that has a retention."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, StackView, get_path, resource_stack_policy

FUNCTION = "aws:lambda/function:Function"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
META = RuleMeta(
    id="LAMBDA-008", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.MEDIUM,
    description="Lambda functions send their logs (`loggingConfig.logGroup`) to a log group declared in the "
                "stack with a retention of at least the configured minimum. Otherwise Lambda creates "
                "/aws/lambda/<name> on first use, unencrypted and kept forever, outside the program's control.",
    remediation="Create an `aws.cloudwatch.LogGroup` with retention_in_days and kms_key_id, and set "
                "logging_config.log_group to its name (components.PackagedFunction does this).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="OPS08-BP01",
    url="https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html",
    settings={"minimumRetentionDays": {"type": "integer", "minimum": 1, "default": 7}})


def check(function, view: StackView, config: Mapping[str, Any]) -> Iterable[str]:
    name = get_path(function.props, "loggingConfig.logGroup")
    # The group is the one whose name the function logs to; a dependency alone does not prove it.
    groups = [g for g in view.of_type(LOG_GROUP) if name and g.props.get("name") == name]
    if not groups:
        yield (f"function {function.name} logs to {name or 'the implicit /aws/lambda group'}, "
               f"which is not a log group of this stack.")
        return
    retention = groups[0].props.get("retentionInDays")
    if not retention or retention < config["minimumRetentionDays"]:
        yield (f"function {function.name} logs to {groups[0].name} with retention {retention!r}; "
               f"expected at least {config['minimumRetentionDays']} days.")


POLICY = resource_stack_policy(__name__, META, [FUNCTION], check)

"""Step Functions state machines bound every execution and every task with a timeout."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy
from rules.aws.sfn._definitions import STATE_MACHINE, parse, tasks

META = RuleMeta(
    id="SFN-004", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="Step Functions definitions set a top-level `TimeoutSeconds` no longer than `maximumSeconds`, "
                "and every Task state a `TimeoutSeconds` (or `TimeoutSecondsPath`/`HeartbeatSeconds`), so a "
                "stuck job or an unbounded polling loop ends in a failure that alarms instead of running for "
                "the service maximum of a year.",
    remediation="Build the definition with components.asl (asl.definition(..., timeout_seconds=...) and "
                "asl.task(...) set both), or add TimeoutSeconds to the definition and to each Task state.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP05",
    url="https://docs.aws.amazon.com/step-functions/latest/dg/sfn-best-practices.html#use-timeouts-to-avoid-stuck-executions",
    settings={"maximumSeconds": {"type": "integer", "minimum": 1, "default": 86400}})


def check(props, config):
    definition = parse(props.get("definition"))
    if definition is None:
        return
    timeout = definition.get("TimeoutSeconds")
    if not isinstance(timeout, (int, float)):
        yield "the definition has no top-level `TimeoutSeconds`."
    elif timeout > config["maximumSeconds"]:
        yield f"`TimeoutSeconds` is {timeout}; the maximum is {config['maximumSeconds']}."
    for name, state in tasks(definition):
        if not {"TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds"} & set(state):
            yield f"task {name!r} has no `TimeoutSeconds`."


POLICY = resource_policy(__name__, META, [STATE_MACHINE], check)

"""Step Functions tasks retry transient failures."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy
from rules.aws.sfn._definitions import STATE_MACHINE, parse, tasks

META = RuleMeta(
    id="SFN-005", pillar=Pillar.RELIABILITY, severity=Severity.LOW,
    description="Every Task state of a Step Functions definition has a `Retry` rule with `MaxAttempts` >= 1 "
                "and a `BackoffRate` >= 1, so throttling and brief service faults do not fail a whole run.",
    remediation="Add Retry with the service's transient errors and exponential backoff (components.asl.retry), "
                "e.g. {'ErrorEquals': ['Lambda.TooManyRequestsException'], 'MaxAttempts': 3, 'BackoffRate': 2}.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP03",
    url="https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html")


def _retries(state) -> bool:
    return any(rule.get("MaxAttempts", 3) >= 1 and rule.get("BackoffRate", 2.0) >= 1
               for rule in state.get("Retry") or [])


def check(props, _config):
    definition = parse(props.get("definition"))
    for name, state in tasks(definition or {}):
        if not _retries(state):
            yield f"task {name!r} has no Retry rule with MaxAttempts >= 1."


POLICY = resource_policy(__name__, META, [STATE_MACHINE], check)

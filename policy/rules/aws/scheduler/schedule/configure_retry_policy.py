"""EventBridge Scheduler schedules state a bounded retry policy."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="SCHEDULER-002", pillar=Pillar.RELIABILITY, severity=Severity.LOW,
    description="EventBridge Scheduler schedules set `target.retryPolicy` with 1 to `maximumAttempts` retries. "
                "Without it the service default (185 retries over 24 hours) keeps hammering a broken target "
                "long after anyone could act on the failure; with 0 a single throttle loses the run.",
    remediation="Set target.retry_policy={'maximum_retry_attempts': 3, 'maximum_event_age_in_seconds': 3600}.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP03",
    url="https://docs.aws.amazon.com/scheduler/latest/UserGuide/managing-schedule-retry-policy.html",
    settings={"maximumAttempts": {"type": "integer", "minimum": 1, "maximum": 185, "default": 10}})


def check(props, config):
    attempts = get_path(props, "target.retryPolicy.maximumRetryAttempts")
    if attempts is None:
        yield "`target.retryPolicy.maximumRetryAttempts` is not set (the default is 185 retries over 24 hours)."
    elif not 1 <= attempts <= config["maximumAttempts"]:
        yield f"`target.retryPolicy.maximumRetryAttempts` is {attempts}; expected 1 to {config['maximumAttempts']}."


POLICY = resource_policy(__name__, META, ["aws:scheduler/schedule:Schedule"], check)

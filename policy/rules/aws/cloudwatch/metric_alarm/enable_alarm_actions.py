"""CloudWatch alarms notify someone."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="ALARM-001", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.MEDIUM,
    description="CloudWatch metric alarms keep `actionsEnabled` on (the provider default) and name at least one "
                "`alarmActions` target. An alarm with its actions switched off, or with none, changes state "
                "without anyone hearing of it: the guardrail exists only on paper.",
    remediation="Set alarm_actions=[topic.arn] (and ok_actions) and leave actions_enabled at True.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="OPS08-BP04",
    url="https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html")


def check(props, _config):
    if props.get("actionsEnabled") is False:
        yield "`actionsEnabled` is false; the alarm notifies nobody."
    elif not props.get("alarmActions"):
        yield "the alarm has no `alarmActions`."


POLICY = resource_policy(__name__, META, ["aws:cloudwatch/metricAlarm:MetricAlarm"], check)

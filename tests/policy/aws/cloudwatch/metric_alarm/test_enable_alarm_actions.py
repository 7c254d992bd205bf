"""aws-cloudwatch-metric-alarm-enable-alarm-actions: an alarm that tells someone."""
import pytest

POLICY = "aws-cloudwatch-metric-alarm-enable-alarm-actions"
TYPE = "aws:cloudwatch/metricAlarm:MetricAlarm"
ALARM = {"name": "errors", "alarmActions": ["arn:aws:sns:us-east-1:123456789012:alarms"], "threshold": 0.0}


def test_alarm_with_topic_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE, props=ALARM)) == []


@pytest.mark.parametrize("changes, fragment", [({"actionsEnabled": False}, "notifies nobody"),
                                               ({"alarmActions": []}, "no `alarmActions`")])
def test_silent_alarm_is_violation(run_rule, make, violation, changes, fragment):
    violation(run_rule(POLICY, make(TYPE, changes, props=ALARM)), fragment)

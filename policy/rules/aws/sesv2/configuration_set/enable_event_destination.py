"""SES configuration sets publish their sending events somewhere."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, StackView, get_path, resource_stack_policy

CONFIGURATION_SET = "aws:sesv2/configurationSet:ConfigurationSet"
DESTINATION = "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination"
META = RuleMeta(
    id="SES-004", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.MEDIUM,
    description="SES v2 configuration sets have at least one enabled event destination (Firehose, CloudWatch, "
                "EventBridge or SNS), so sends, deliveries, bounces and complaints are recorded; the events "
                "database depends on them.",
    remediation="Add an aws.sesv2.ConfigurationSetEventDestination for the configuration set with enabled=True "
                "and the event types to record.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="OPS08-BP01",
    url="https://docs.aws.amazon.com/ses/latest/dg/event-destinations-manage.html")


def check(configuration_set, view: StackView, _config: Mapping[str, Any]) -> Iterable[str]:
    destinations = view.of_type(DESTINATION)
    attached = view.attached(configuration_set, DESTINATION, "configurationSetName")
    attached += [d for d in destinations if d not in attached and d.props.get("configurationSetName")
                 == configuration_set.props.get("configurationSetName")]
    if not any(get_path(d.props, "eventDestination.enabled") is not False for d in attached):
        yield f"configuration set {configuration_set.name} has no enabled event destination."


POLICY = resource_stack_policy(__name__, META, [CONFIGURATION_SET], check)

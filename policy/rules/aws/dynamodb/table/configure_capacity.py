"""DynamoDB tables scale with load: on-demand, or provisioned with auto scaling."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, StackView, resource_stack_policy

TABLE = "aws:dynamodb/table:Table"
TARGET = "aws:appautoscaling/target:Target"
META = RuleMeta(
    id="DYNAMODB-004", pillar=Pillar.PERFORMANCE_EFFICIENCY, severity=Severity.MEDIUM,
    description="DynamoDB tables use on-demand capacity (`billingMode` PAY_PER_REQUEST) or, when provisioned, "
                "have Application Auto Scaling targets for reads and writes, so bursts are not throttled and "
                "idle capacity is not paid for.",
    remediation="Set billing_mode='PAY_PER_REQUEST', or add aws.appautoscaling.Target resources for "
                "dynamodb:table:ReadCapacityUnits and WriteCapacityUnits with target-tracking policies.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="PERF02-BP03",
    url="https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/capacity-mode.html")


def check(table, view: StackView, _config: Mapping[str, Any]) -> Iterable[str]:
    if table.props.get("billingMode") == "PAY_PER_REQUEST":
        return
    dimensions = {t.props.get("scalableDimension") for t in view.of_type(TARGET)
                  if t.props.get("resourceId") == f"table/{table.props.get('name')}"}
    missing = {"dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits"} - dimensions
    if missing:
        yield f"table {table.name} is provisioned without auto scaling for {sorted(missing)}."


POLICY = resource_stack_policy(__name__, META, [TABLE], check)

"""DynamoDB tables scale with load: on-demand, or provisioned with auto scaling."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, PolicyResource, Severity

from rules._framework import Pillar, RuleMeta, StackView, stack_policy

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


def check(view: StackView, _config: Mapping[str, Any]) -> Iterable[tuple[PolicyResource, str]]:
    for table in view.of_type(TABLE):
        if table.props.get("billingMode") == "PAY_PER_REQUEST":
            continue
        dimensions = {t.props.get("scalableDimension") for t in view.of_type(TARGET)
                      if t.props.get("resourceId") == f"table/{table.props.get('name')}"}
        missing = {"dynamodb:table:ReadCapacityUnits", "dynamodb:table:WriteCapacityUnits"} - dimensions
        if missing:
            yield table, f"table {table.name} is provisioned without auto scaling for {sorted(missing)}."


POLICY = stack_policy(__name__, META, check)

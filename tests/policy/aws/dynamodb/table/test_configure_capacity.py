"""aws-dynamodb-table-configure-capacity: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-dynamodb-table-configure-capacity"
TYPE_TABLE = "aws:dynamodb/table:Table"
TYPE_TARGET = "aws:appautoscaling/target:Target"


def test_on_demand_table_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE_TABLE)) == []


def test_provisioned_table_without_autoscaling_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE_TABLE, {"billingMode": "PROVISIONED"})),
              "is provisioned without auto scaling for ['dynamodb:table:ReadCapacityUnits', 'dynamodb:table:WriteCapacityUnits']")


def test_provisioned_table_with_read_and_write_targets_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE_TABLE, {"billingMode": "PROVISIONED"}), make(TYPE_TARGET, name="read"), make(TYPE_TARGET, {"scalableDimension": "dynamodb:table:WriteCapacityUnits"}, name="write")) == []

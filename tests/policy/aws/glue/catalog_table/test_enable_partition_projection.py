"""aws-glue-catalog-table-enable-partition-projection: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-glue-catalog-table-enable-partition-projection"
TYPE = "aws:glue/catalogTable:CatalogTable"


def test_projected_table_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_partitioned_table_without_projection_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"parameters": {}})),
              "`parameters['projection.enabled']` is not 'true'")


def test_partition_key_without_projection_type_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"parameters": {"projection.enabled": "true", "projection.channel.type": "enum"}})),
              "partition key 'dt' has no `projection.dt.type`")


def test_view_is_not_in_scope(run_rule, make):
    assert run_rule(POLICY, make(TYPE, {"tableType": "VIRTUAL_VIEW", "parameters": {}})) == []

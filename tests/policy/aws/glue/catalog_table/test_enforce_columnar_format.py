"""aws-glue-catalog-table-enforce-columnar-format: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-glue-catalog-table-enforce-columnar-format"
TYPE = "aws:glue/catalogTable:CatalogTable"


def test_parquet_table_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_json_table_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"storageDescriptor.inputFormat": "org.apache.hadoop.mapred.TextInputFormat", "storageDescriptor.serDeInfo.serializationLibrary": "org.openx.data.jsonserde.JsonSerDe"})),
              'is not Parquet or ORC')

"""aws-dynamodb-table-enable-kms-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-dynamodb-table-enable-kms-encryption"
TYPE = "aws:dynamodb/table:Table"


def test_cmk_table_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_aws_owned_key_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"serverSideEncryption": fx.DELETE})),
              'the table uses the AWS-owned key')


def test_aws_managed_key_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"serverSideEncryption.kmsKeyArn": fx.DELETE})),
              'the table uses the AWS-managed key')

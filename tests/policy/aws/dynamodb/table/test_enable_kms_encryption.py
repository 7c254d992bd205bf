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


def test_aws_managed_alias_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"serverSideEncryption.kmsKeyArn": "alias/aws/dynamodb"})),
              "not a customer-managed key")


def test_replica_without_its_own_key_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"replicas": [{"regionName": "eu-west-1", "pointInTimeRecovery": True}]})),
              "replica in 'eu-west-1' has no customer-managed `kmsKeyArn`")


def test_replica_with_its_own_key_is_compliant(run_rule, make, fx):
    replica = {"regionName": "eu-west-1", "pointInTimeRecovery": True,
               "kmsKeyArn": fx.KEY_ARN.replace("us-east-1", "eu-west-1")}
    assert run_rule(POLICY, make(TYPE, {"replicas": [replica]})) == []

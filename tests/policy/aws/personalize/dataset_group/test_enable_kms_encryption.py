"""aws-personalize-dataset-group-enable-kms-encryption (aws-native type): compliant baseline, one change per case."""
POLICY = "aws-personalize-dataset-group-enable-kms-encryption"
TYPE = "aws-native:personalize:DatasetGroup"


def test_dataset_group_with_customer_key_and_role_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_dataset_group_without_key_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, {"kmsKeyArn": fx.DELETE})), "`kmsKeyArn` is not set")


def test_key_without_role_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, {"roleArn": fx.DELETE})), "`roleArn` is not set")

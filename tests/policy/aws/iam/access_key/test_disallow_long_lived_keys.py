"""aws-iam-access-key-disallow-long-lived-keys: any access key the program creates is a violation."""
POLICY = "aws-iam-access-key-disallow-long-lived-keys"


def test_access_key_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make("aws:iam/accessKey:AccessKey", props={"user": "deployer"})), "long-lived IAM access key")


def test_role_is_not_an_access_key(run_rule, make):
    assert run_rule(POLICY, make("aws:iam/role:Role")) == []

"""aws-lambda-function-enable-environment-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-function-enable-environment-encryption"
TYPE = "aws:lambda/function:Function"


def test_environment_with_cmk_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_environment_without_kms_key_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"kmsKeyArn": fx.DELETE})),
              '2 environment variable(s) without `kmsKeyArn`')


def test_no_environment_needs_no_key(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"kmsKeyArn": fx.DELETE, "environment": fx.DELETE})) == []

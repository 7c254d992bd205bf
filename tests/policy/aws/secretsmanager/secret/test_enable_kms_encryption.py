"""aws-secretsmanager-secret-enable-kms-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-secretsmanager-secret-enable-kms-encryption"
TYPE = "aws:secretsmanager/secret:Secret"


def test_cmk_secret_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_default_key_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"kmsKeyId": fx.DELETE})),
              '`kmsKeyId` is not a customer-managed key')

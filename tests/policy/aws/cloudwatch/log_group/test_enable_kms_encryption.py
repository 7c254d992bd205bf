"""aws-cloudwatch-log-group-enable-kms-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudwatch-log-group-enable-kms-encryption"
TYPE = "aws:cloudwatch/logGroup:LogGroup"


def test_encrypted_log_group_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_unencrypted_log_group_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"kmsKeyId": fx.DELETE})),
              '`kmsKeyId` is not set')

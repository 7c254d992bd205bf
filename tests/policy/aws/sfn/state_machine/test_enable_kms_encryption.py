"""aws-sfn-state-machine-enable-kms-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sfn-state-machine-enable-kms-encryption"
TYPE = "aws:sfn/stateMachine:StateMachine"


def test_cmk_state_machine_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_aws_owned_key_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"encryptionConfiguration": {"type": "AWS_OWNED_KEY"}})),
              '`encryptionConfiguration` is not CUSTOMER_MANAGED_KMS_KEY')

"""aws-kms-key-enable-rotation: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-kms-key-enable-rotation"
TYPE = "aws:kms/key:Key"


def test_rotating_key_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_rotation_disabled_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"enableKeyRotation": False})),
              '`enableKeyRotation` is not true')


def test_asymmetric_key_is_not_in_scope(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"enableKeyRotation": fx.DELETE, "customerMasterKeySpec": "RSA_2048"})) == []

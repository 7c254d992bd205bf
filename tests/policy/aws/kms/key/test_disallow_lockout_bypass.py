"""aws-kms-key-disallow-lockout-bypass: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-kms-key-disallow-lockout-bypass"
TYPE = "aws:kms/key:Key"


def test_key_without_bypass_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_bypass_lockout_safety_check_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"bypassPolicyLockoutSafetyCheck": True})),
              '`bypassPolicyLockoutSafetyCheck` is True')

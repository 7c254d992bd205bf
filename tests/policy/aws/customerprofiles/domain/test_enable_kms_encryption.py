"""aws-customerprofiles-domain-enable-kms-encryption: the compliant baseline, then one changed field."""
POLICY = "aws-customerprofiles-domain-enable-kms-encryption"
TYPE = "aws:customerprofiles/domain:Domain"


def test_domain_with_customer_key_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_domain_without_key_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, {"defaultEncryptionKey": fx.DELETE})), "`defaultEncryptionKey`")

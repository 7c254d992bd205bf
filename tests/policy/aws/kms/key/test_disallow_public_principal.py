"""aws-kms-key-disallow-public-principal: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-kms-key-disallow-public-principal"
TYPE = "aws:kms/key:Key"


def test_key_policy_for_account_and_services_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_unconditioned_star_principal_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc({"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})})),
              "'Open' allows principal '*' unconditionally")


def test_star_principal_pinned_to_org_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"policy": fx.doc({"Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}})})) == []

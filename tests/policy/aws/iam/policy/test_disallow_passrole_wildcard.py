"""aws-iam-policy-disallow-passrole-wildcard: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-iam-policy-disallow-passrole-wildcard"
TYPE = "aws:iam/rolePolicy:RolePolicy"


def test_passrole_on_own_role_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_passrole_on_star_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc({"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})})),
              "'Pass' allows iam:PassRole on resource '*'")


def test_iam_star_on_star_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc({"Sid": "Iam", "Effect": "Allow", "Action": "iam:*", "Resource": "*"})})),
              "'Iam' allows iam:PassRole")

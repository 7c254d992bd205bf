"""aws-iam-role-disallow-public-trust: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-iam-role-disallow-public-trust"
TYPE = "aws:iam/role:Role"


def test_service_trust_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_aws_star_trust_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"assumeRolePolicy": fx.doc({"Sid": "Anyone", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"})})),
              "'Anyone' lets principal '*' assume the role")

"""aws-iam-policy-disallow-passrole-wildcard: iam:PassRole on every role, named or reached by a wildcard."""
import pytest

POLICY = "aws-iam-policy-disallow-passrole-wildcard"
TYPE = "aws:iam/rolePolicy:RolePolicy"
PASS = {"Sid": "Pass", "Effect": "Allow"}

EVASIONS = {
    "passrole-on-star": {**PASS, "Action": "iam:PassRole", "Resource": "*"},
    "pass-wildcard": {**PASS, "Action": "iam:Pass*", "Resource": "*"},
    "lower-case": {**PASS, "Action": "iam:passrole", "Resource": "*"},
    "iam-star": {**PASS, "Action": "iam:*", "Resource": "*"},
    "not-action": {**PASS, "NotAction": "s3:*", "Resource": "*"},
    "every-role-any-account": {**PASS, "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/*"},
    "every-role-own-account": {**PASS, "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/*"},
    "passed-to-service-only": {**PASS, "Action": "iam:PassRole", "Resource": "*",
                               "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}},
}


def test_passrole_on_own_role_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


@pytest.mark.parametrize("case, statement", EVASIONS.items())
def test_passrole_on_every_role_is_violation(run_rule, make, fx, violation, case, statement):
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc(statement)})), "'Pass' allow iam:PassRole on every role")


def test_passrole_on_named_role_path_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"policy": fx.doc({**PASS, "Action": "iam:Pass*", "Resource":
                                                          "arn:aws:iam::123456789012:role/engagement/*-sfn"})})) == []

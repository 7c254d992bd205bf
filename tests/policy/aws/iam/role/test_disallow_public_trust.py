"""aws-iam-role-disallow-public-trust: anyone may assume the role, blatantly or behind a condition that pins nothing."""
import pytest

from ....evasions import public_statements, restricted_statements

POLICY = "aws-iam-role-disallow-public-trust"
TYPE = "aws:iam/role:Role"


def _trust(statement):
    return {k: v for k, v in statement.items() if k.lower() != "resource"}


def test_service_trust_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


@pytest.mark.parametrize("case, statement", public_statements("sts:AssumeRole").items())
def test_trust_open_to_everyone_is_violation(run_rule, make, fx, violation, case, statement):
    violation(run_rule(POLICY, make(TYPE, {"assumeRolePolicy": fx.doc(_trust(statement))})),
              "'Open' lets anyone assume the role")


@pytest.mark.parametrize("case, statement", restricted_statements("sts:AssumeRole").items())
def test_trust_pinned_to_our_account_or_org_is_compliant(run_rule, make, fx, case, statement):
    assert run_rule(POLICY, make(TYPE, {"assumeRolePolicy": fx.doc(_trust(statement))})) == []

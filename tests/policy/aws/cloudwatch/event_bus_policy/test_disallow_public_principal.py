"""aws-cloudwatch-event-bus-policy-disallow-public-principal: compliant baseline, blatant and evasive public forms."""
import pytest

from ....evasions import public_statements, restricted_statements

POLICY = "aws-cloudwatch-event-bus-policy-disallow-public-principal"
TYPE = "aws:cloudwatch/eventBusPolicy:EventBusPolicy"


def test_org_conditioned_policy_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


@pytest.mark.parametrize("case, statement", public_statements("events:PutEvents").items())
def test_public_statement_is_violation(run_rule, make, fx, violation, case, statement):
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc(statement)})), "'Open' allows everyone")


@pytest.mark.parametrize("case, statement", restricted_statements("events:PutEvents").items())
def test_statement_pinned_to_the_caller_is_compliant(run_rule, make, fx, case, statement):
    assert run_rule(POLICY, make(TYPE, {"policy": fx.doc(statement)})) == []

"""aws-secretsmanager-secret-disallow-public-policy: compliant baseline, the blatant public statement and its evasive forms (conditions are read)."""
import pytest

from ....evasions import public_statements, restricted_statements

POLICY = "aws-secretsmanager-secret-disallow-public-policy"
TYPE = "aws:secretsmanager/secretPolicy:SecretPolicy"


def test_baseline_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


@pytest.mark.parametrize("case, statement", public_statements("secretsmanager:GetSecretValue").items())
def test_public_statement_is_violation(run_rule, make, fx, violation, case, statement):
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc(statement)})), "'Open' allows everyone")


def test_public_statement_split_from_a_compliant_one_is_violation(run_rule, make, fx, violation):
    scoped = restricted_statements("secretsmanager:GetSecretValue")["source-account"]
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc({**scoped, "Sid": "Ok"},
                                                            public_statements("secretsmanager:GetSecretValue")["tls-only-condition"])})),
              "'Open' allows everyone")


@pytest.mark.parametrize("case, statement", restricted_statements("secretsmanager:GetSecretValue").items())
def test_statement_pinned_to_the_caller_is_compliant(run_rule, make, fx, case, statement):
    assert run_rule(POLICY, make(TYPE, {"policy": fx.doc(statement)})) == []

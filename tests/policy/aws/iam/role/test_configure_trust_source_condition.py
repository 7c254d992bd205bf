"""aws-iam-role-configure-trust-source-condition: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-iam-role-configure-trust-source-condition"
TYPE = "aws:iam/role:Role"


def test_firehose_trust_with_source_account_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_firehose_trust_without_condition_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"assumeRolePolicy": fx.doc({"Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"}, "Action": "sts:AssumeRole"})})),
              "trust for ['firehose.amazonaws.com'] has no aws:SourceAccount")


def test_lambda_trust_without_condition_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"assumeRolePolicy": fx.doc({"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"})})) == []

"""aws-lambda-function-url-enforce-iam-auth: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-function-url-enforce-iam-auth"
TYPE = "aws:lambda/functionUrl:FunctionUrl"


def test_aws_iam_auth_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_auth_type_none_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"authorizationType": "NONE"})),
              "`authorizationType` is 'NONE'")

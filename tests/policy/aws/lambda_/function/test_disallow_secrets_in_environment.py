"""aws-lambda-function-disallow-secrets-in-environment: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-function-disallow-secrets-in-environment"
TYPE = "aws:lambda/function:Function"


def test_secret_arn_reference_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_literal_api_key_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"environment.variables.PARTNER_API_KEY": "sk_live_0123456789"})),
              'environment variable PARTNER_API_KEY looks like a literal secret')


def test_parameter_name_reference_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE, {"environment.variables.DB_PASSWORD": "/engagement/prod/db-password"})) == []

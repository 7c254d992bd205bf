"""aws-lambda-function-url-disallow-wildcard-cors: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-function-url-disallow-wildcard-cors"
TYPE = "aws:lambda/functionUrl:FunctionUrl"


def test_listed_origins_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_wildcard_origin_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"cors.allowOrigins": ["*"]})),
              "`cors.allowOrigins` contains '*'")

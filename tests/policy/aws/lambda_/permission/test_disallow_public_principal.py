"""aws-lambda-permission-disallow-public-principal: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-permission-disallow-public-principal"
TYPE = "aws:lambda/permission:Permission"


def test_service_principal_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_star_principal_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"principal": "*", "sourceArn": fx.DELETE})),
              "`principal` is '*' and nothing pins the caller")


def test_star_principal_with_wildcard_source_arn_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"principal": "*", "sourceArn": "arn:aws:execute-api:*:*:*"})),
              "nothing pins the caller")


def test_star_principal_pinned_to_the_organisation_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"principal": "*", "sourceArn": fx.DELETE,
                                        "principalOrgId": "o-a1b2c3d4e5"})) == []

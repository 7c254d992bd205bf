"""aws-apigatewayv2-route-enforce-authorization: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-apigatewayv2-route-enforce-authorization"
TYPE = "aws:apigatewayv2/route:Route"


def test_jwt_route_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_unauthenticated_route_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"authorizationType": "NONE"})),
              "route 'GET /preferences' has no authorization")


def test_listed_public_route_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE, {"authorizationType": "NONE", "routeKey": "POST /unsubscribe"}), config={'publicRoutes': ['POST /unsubscribe']}) == []

"""aws-apigatewayv2-stage-configure-throttling: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-apigatewayv2-stage-configure-throttling"
TYPE = "aws:apigatewayv2/stage:Stage"


def test_throttled_stage_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_missing_rate_limit_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"defaultRouteSettings.throttlingRateLimit": fx.DELETE})),
              '`defaultRouteSettings.throttlingRateLimit` is not set')

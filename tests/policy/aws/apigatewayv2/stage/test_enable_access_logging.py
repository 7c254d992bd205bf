"""aws-apigatewayv2-stage-enable-access-logging: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-apigatewayv2-stage-enable-access-logging"
TYPE = "aws:apigatewayv2/stage:Stage"


def test_stage_with_access_logs_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_stage_without_access_logs_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"accessLogSettings": fx.DELETE})),
              '`accessLogSettings` needs both `destinationArn` and `format`')

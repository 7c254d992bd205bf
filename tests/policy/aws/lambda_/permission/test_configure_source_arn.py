"""aws-lambda-permission-configure-source-arn: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-permission-configure-source-arn"
TYPE = "aws:lambda/permission:Permission"


def test_service_principal_with_source_arn_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_service_principal_without_source_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"sourceArn": fx.DELETE})),
              'sets neither `sourceArn` nor `sourceAccount`')


def test_source_account_alone_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"sourceArn": fx.DELETE, "sourceAccount": fx.ACCOUNT})) == []

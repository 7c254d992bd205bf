"""aws-lambda-permission-configure-source-arn: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-permission-configure-source-arn"
TYPE = "aws:lambda/permission:Permission"


def test_service_principal_with_source_arn_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_service_principal_without_source_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"sourceArn": fx.DELETE})),
              'sets no concrete `sourceArn` or `sourceAccount`')


def test_source_account_alone_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"sourceArn": fx.DELETE, "sourceAccount": fx.ACCOUNT})) == []


import pytest  # noqa: E402


@pytest.mark.parametrize("changes", [{"sourceArn": "arn:aws:execute-api:*:*:*"},
                                     {"principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::*"},
                                     {"sourceArn": "arn:aws:execute-api:us-east-1:*:abc123/*"},
                                     {"sourceArn": None, "sourceAccount": "*"}])
def test_wildcard_source_is_violation(run_rule, make, fx, violation, changes):
    changes = {k: (fx.DELETE if v is None else v) for k, v in changes.items()}
    violation(run_rule(POLICY, make(TYPE, changes)), "sets no concrete `sourceArn` or `sourceAccount`")


def test_whole_bucket_name_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE, {"principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::uploads"})) == []

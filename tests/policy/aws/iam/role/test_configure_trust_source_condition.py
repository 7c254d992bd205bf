"""aws-iam-role-configure-trust-source-condition: service trust pinned to our account with a concrete value."""
import pytest

POLICY = "aws-iam-role-configure-trust-source-condition"
TYPE = "aws:iam/role:Role"
FIREHOSE = {"Effect": "Allow", "Principal": {"Service": "firehose.amazonaws.com"}, "Action": "sts:AssumeRole"}

EVASIONS = {
    "no-condition": {},
    "source-account-if-exists": {"StringEqualsIfExists": {"aws:SourceAccount": "123456789012"}},
    "wildcard-source-arn": {"ArnLike": {"aws:SourceArn": "arn:aws:firehose:*:*:deliverystream/*"}},
    "tls-only": {"Bool": {"aws:SecureTransport": "true"}},
    "negated-account": {"StringNotEquals": {"aws:SourceAccount": "210987654321"}},
    "wildcard-account": {"StringLike": {"aws:SourceAccount": "*"}},
}


def test_firehose_trust_with_source_account_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


@pytest.mark.parametrize("case, condition", EVASIONS.items())
def test_service_trust_without_concrete_source_is_violation(run_rule, make, fx, violation, case, condition):
    statement = {**FIREHOSE, **({"Condition": condition} if condition else {})}
    violation(run_rule(POLICY, make(TYPE, {"assumeRolePolicy": fx.doc(statement)})), "firehose.amazonaws.com")


def test_concrete_source_arn_is_compliant(run_rule, make, fx):
    statement = {**FIREHOSE, "Condition": {"ArnLike": {
        "aws:SourceArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/events"}}}
    assert run_rule(POLICY, make(TYPE, {"assumeRolePolicy": fx.doc(statement)})) == []


def test_lambda_trust_needs_no_source_condition(run_rule, make, fx):
    statement = {**FIREHOSE, "Principal": {"Service": "lambda.amazonaws.com"}}
    assert run_rule(POLICY, make(TYPE, {"assumeRolePolicy": fx.doc(statement)})) == []

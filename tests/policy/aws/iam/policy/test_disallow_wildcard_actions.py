"""aws-iam-policy-disallow-wildcard-actions: a whole service on every resource, however it is written."""
import pytest

POLICY = "aws-iam-policy-disallow-wildcard-actions"
TYPE = "aws:iam/rolePolicy:RolePolicy"
ALLOW = {"Sid": "Broad", "Effect": "Allow"}

EVASIONS = {
    "action-star": {**ALLOW, "Action": "*", "Resource": "*"},
    "service-star": {**ALLOW, "Action": ["s3:*"], "Resource": "*"},
    "service-star-upper-case": {**ALLOW, "Action": "S3:*", "Resource": "*"},
    "prefix-wildcard-service": {**ALLOW, "Action": "sqs*:*", "Resource": "*"},
    "not-action": {**ALLOW, "NotAction": ["iam:*", "organizations:*"], "Resource": "*"},
    "not-resource": {**ALLOW, "Action": "dynamodb:*", "NotResource": "arn:aws:dynamodb:us-east-1:123456789012:table/x"},
    "every-bucket-arn": {**ALLOW, "Action": "s3:*", "Resource": ["arn:aws:s3:::*", "arn:aws:s3:::*/*"]},
    "condition-restricting-nothing": {**ALLOW, "Action": "kms:*", "Resource": "*",
                                      "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    "every-queue-of-the-account": {**ALLOW, "Action": "sqs:*", "Resource": "arn:aws:sqs:*:123456789012:*"},
    "everything-pinned-to-own-account": {**ALLOW, "Action": "*", "Resource": "*",
                                         "Condition": {"StringEquals": {"aws:ResourceAccount": "123456789012"}}},
    "deny-narrower-than-allow": [{**ALLOW, "Action": "*", "Resource": "*"},
                                 {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}],
}


def test_scoped_actions_and_xray_star_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


@pytest.mark.parametrize("case, statement", EVASIONS.items())
def test_whole_service_on_every_resource_is_violation(run_rule, make, fx, violation, case, statement):
    statements = statement if isinstance(statement, list) else [statement]
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc(*statements)})), "on every resource")


def test_service_wildcard_in_role_inline_policy_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make("aws:iam/role:Role", {"inlinePolicies": [{"name": "p", "policy": fx.doc(
        {"Sid": "S3", "Effect": "Allow", "Action": ["s3:*"], "Resource": "*"})}]})), "every action of s3:*")


def test_service_wildcard_on_own_bucket_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"policy": fx.doc({"Effect": "Allow", "Action": "s3:*",
                                                          "Resource": fx.BUCKET_ARN})})) == []


def test_allow_cancelled_by_an_unconditional_deny_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"policy": fx.doc({"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                                                         {"Effect": "Deny", "Action": "s3:*", "Resource": "*"})})) == []

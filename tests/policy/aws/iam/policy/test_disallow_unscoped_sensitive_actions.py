"""aws-iam-policy-disallow-unscoped-sensitive-actions: write and data-reading actions on every resource."""
import pytest

POLICY = "aws-iam-policy-disallow-unscoped-sensitive-actions"
TYPE = "aws:iam/rolePolicy:RolePolicy"
ALLOW = {"Sid": "Wide", "Effect": "Allow"}

EVASIONS = {
    "invoke-any-function": {**ALLOW, "Action": "lambda:InvokeFunction", "Resource": "*"},
    "invoke-wildcard-action": {**ALLOW, "Action": "lambda:Invoke*", "Resource": "*"},
    "send-to-any-queue-arn-pattern": {**ALLOW, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:*:*:*"},
    "read-every-bucket": {**ALLOW, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::*/*"},
    "secret-read-with-tls-condition": {**ALLOW, "Action": "secretsmanager:GetSecretValue", "Resource": "*",
                                       "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
    "not-resource": {**ALLOW, "Action": "dynamodb:PutItem", "NotResource": "arn:aws:dynamodb:*:*:table/audit"},
}


def test_scoped_policy_with_xray_on_star_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


@pytest.mark.parametrize("case, statement", EVASIONS.items())
def test_sensitive_action_on_every_resource_is_violation(run_rule, make, fx, violation, case, statement):
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc(statement)})), "on every resource")


@pytest.mark.parametrize("action", ["cloudwatch:PutMetricData", "logs:DescribeLogGroups", "xray:PutTraceSegments"])
def test_actions_without_resource_level_permissions_or_listing_are_compliant(run_rule, make, fx, action):
    assert run_rule(POLICY, make(TYPE, {"policy": fx.doc({**ALLOW, "Action": action, "Resource": "*"})})) == []


def test_invoke_on_own_function_is_compliant(run_rule, make, fx):
    arn = "arn:aws:lambda:us-east-1:123456789012:function:fn"
    assert run_rule(POLICY, make(TYPE, {"policy": fx.doc({**ALLOW, "Action": "lambda:InvokeFunction",
                                                          "Resource": [arn, f"{arn}:*"]})})) == []

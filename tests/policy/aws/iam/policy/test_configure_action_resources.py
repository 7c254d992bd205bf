"""aws-iam-policy-configure-action-resources: a grant that can never match (no resource-level permissions)."""
import pytest

POLICY = "aws-iam-policy-configure-action-resources"
TYPE = "aws:iam/rolePolicy:RolePolicy"
STREAM = "arn:aws:dynamodb:us-east-1:123456789012:table/prefs/stream/2026-01-01T00:00:00.000"


def test_baseline_with_xray_on_star_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


@pytest.mark.parametrize("actions", [["dynamodb:ListStreams"], ["dynamodb:GetRecords", "dynamodb:ListStreams"],
                                     ["dynamodb:List*"]])
def test_unscopable_action_on_a_specific_arn_is_violation(run_rule, make, fx, violation, actions):
    document = fx.doc({"Sid": "Stream", "Effect": "Allow", "Action": actions, "Resource": STREAM})
    violation(run_rule(POLICY, make(TYPE, {"policy": document})), "ListStreams")
    assert "only on specific ARNs" in run_rule.last_report.findings[0].message


def test_scopable_stream_actions_on_the_stream_are_compliant(run_rule, make, fx):
    document = fx.doc({"Effect": "Allow", "Action": ["dynamodb:GetRecords", "dynamodb:DescribeStream"],
                       "Resource": STREAM})
    assert run_rule(POLICY, make(TYPE, {"policy": document})) == []

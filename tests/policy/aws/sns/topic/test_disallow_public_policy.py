"""aws-sns-topic-disallow-public-policy: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sns-topic-disallow-public-policy"
TYPE = "aws:sns/topicPolicy:TopicPolicy"


def test_service_policy_with_source_account_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_public_topic_policy_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc({"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})})),
              "'Open' allows principal '*' unconditionally")

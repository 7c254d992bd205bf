"""aws-sns-topic-subscription-enforce-https: web subscriptions are delivered over TLS."""
import pytest

POLICY = "aws-sns-topic-subscription-enforce-https"
TYPE = "aws:sns/topicSubscription:TopicSubscription"
SUB = {"topic": "arn:aws:sns:us-east-1:123456789012:alarms", "protocol": "https",
       "endpoint": "https://hooks.example.com/alerts"}


@pytest.mark.parametrize("protocol, endpoint", [("https", "https://hooks.example.com/alerts"),
                                                ("lambda", "arn:aws:lambda:us-east-1:123456789012:function:fn"),
                                                ("email", "ops@example.com")])
def test_tls_and_non_web_subscriptions_are_compliant(run_rule, make, protocol, endpoint):
    assert run_rule(POLICY, make(TYPE, {"protocol": protocol, "endpoint": endpoint}, props=SUB)) == []


@pytest.mark.parametrize("protocol, endpoint", [("http", "http://hooks.example.com/alerts"),
                                                ("http", "https://hooks.example.com/alerts"),
                                                ("https", "http://hooks.example.com/alerts")])
def test_clear_text_delivery_is_violation(run_rule, make, violation, protocol, endpoint):
    violation(run_rule(POLICY, make(TYPE, {"protocol": protocol, "endpoint": endpoint}, props=SUB)), "without TLS")

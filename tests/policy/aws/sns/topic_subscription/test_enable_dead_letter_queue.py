"""aws-sns-topic-subscription-enable-dead-letter-queue: undeliverable notifications are kept."""
import json

POLICY = "aws-sns-topic-subscription-enable-dead-letter-queue"
TYPE = "aws:sns/topicSubscription:TopicSubscription"
SUB = {"topic": "arn:aws:sns:us-east-1:123456789012:alarms", "protocol": "lambda",
       "endpoint": "arn:aws:lambda:us-east-1:123456789012:function:fn",
       "redrivePolicy": json.dumps({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:sub-dlq"})}


def test_lambda_subscription_with_dlq_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE, props=SUB)) == []


def test_lambda_subscription_without_dlq_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"redrivePolicy": fx.DELETE}, props=SUB)), "has no dead-letter queue")


def test_email_subscription_needs_no_dlq(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"protocol": "email", "endpoint": "ops@example.com",
                                        "redrivePolicy": fx.DELETE}, props=SUB)) == []

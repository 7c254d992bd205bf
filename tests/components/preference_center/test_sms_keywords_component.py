"""The SMS keyword function under Pulumi mocks: subscribed to the events database's two-way SMS topic only when both
solutions are deployed, least privilege, nothing lost (redrive and Lambda failures into one encrypted queue)."""
from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="module")
def dev(dev_recording):
    return dev_recording


def statements(recording, function_name: str) -> dict[str, dict]:
    policy = recording.by_name(f"{function_name}-policy")
    return {s.get("Sid"): s for s in json.loads(policy.inputs["policy"])["Statement"]}


def test_the_inbound_topic_invokes_the_keyword_function_and_keeps_what_it_cannot_deliver(dev):
    topic = dev.by_name("events-inbound-sms")
    function = dev.by_name("preferences-sms-keywords")
    queue = dev.by_name("preferences-sms-keywords-dlq")
    subscription = dev.by_name("preferences-sms-keywords-subscription")
    assert (subscription.inputs["topic"], subscription.inputs["protocol"], subscription.inputs["endpoint"]) == (
        topic.state["arn"], "lambda", function.state["arn"])
    assert json.loads(subscription.inputs["redrivePolicy"]) == {"deadLetterTargetArn": queue.state["arn"]}
    # Lambda's own failures (after its retries) go to the same encrypted queue
    assert function.inputs["deadLetterConfig"]["targetArn"] == queue.state["arn"] and queue.inputs["kmsMasterKeyId"]
    assert function.inputs["handler"] == "preference_api.sms_keywords.lambda_handler"
    assert function.inputs["environment"]["variables"]["PREFERENCE_CENTER_IDS"] == "default"
    # SNS checks the permission and the queue policy when it creates the subscription
    for dependency in ("preferences-sms-keywords-invoke", "preferences-sms-keywords-dlq-policy"):
        assert dev.by_name(dependency).urn in subscription.dependencies


def test_only_the_inbound_topic_may_invoke_the_function_or_fill_its_queue(dev):
    topic_arn = dev.by_name("events-inbound-sms").state["arn"]
    permission = dev.by_name("preferences-sms-keywords-invoke")
    assert (permission.inputs["principal"], permission.inputs["sourceArn"], permission.inputs["action"]) == (
        "sns.amazonaws.com", topic_arn, "lambda:InvokeFunction")
    [grant] = json.loads(dev.by_name("preferences-sms-keywords-dlq-policy").inputs["policy"])["Statement"]
    assert grant["Principal"] == {"Service": "sns.amazonaws.com"} and grant["Action"] == "sqs:SendMessage"
    assert grant["Condition"] == {"ArnEquals": {"aws:SourceArn": topic_arn}}


def test_the_role_reads_what_it_checks_and_appends_only_to_preferences_and_consent(dev):
    granted = statements(dev, "preferences-sms-keywords")
    arn = {name: dev.by_name(f"preferences-{name}").state["arn"]
           for name in ("config", "preferences", "consent", "addresses")}
    assert {sid: (s["Action"], s["Resource"]) for sid, s in granted.items()
            if sid not in ("OwnLogGroup", "XRayTracesHaveNoResourceArn", "OwnDeadLetterQueue", "StackKey")} == {
        "ReadCenterAndRegistry": (["dynamodb:GetItem"], [arn["config"], arn["addresses"]]),
        "ReadWritePreferences": (["dynamodb:GetItem", "dynamodb:PutItem"], [arn["preferences"]]),
        "AppendConsentRecords": (["dynamodb:PutItem"], [arn["consent"]])}
    # the stack key decrypts what the function reads and encrypts what it puts in its queue
    assert granted["StackKey"]["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert dev.by_name("preferences-sms-keywords-policy").urn in dev.by_name("preferences-sms-keywords").dependencies


def test_failures_raise_alarms_and_the_function_is_exported_for_the_replay(dev):
    queue = dev.by_name("preferences-sms-keywords-dlq")
    failed = dev.by_name("preferences-sms-keywords-failed")
    assert failed.inputs["dimensions"] == {"QueueName": queue.state["name"]} and failed.inputs["threshold"] == 0
    assert "tools.preference_sms_replay" in failed.inputs["alarmDescription"]
    assert dev.by_name("preferences-sms-keywords-errors").inputs["metricName"] == "Errors"
    assert dev.exports["preferenceSmsKeywordFunction"] == dev.by_name("preferences-sms-keywords").state["name"]


def test_without_an_events_database_replies_are_not_wired(record):
    recording = record("dev", {"engagement:eventsDatabaseEnabled": "false",
                               "engagement:predictiveEngagementEnabled": "false",
                               "engagement:predictiveSegmentationEnabled": "false"})
    assert not [r for r in recording.registrations if r.name.startswith("preferences-sms-keywords")]
    assert recording.by_type("aws:sns/topicSubscription:TopicSubscription") == []
    assert "preferenceSmsKeywordFunction" not in recording.exports


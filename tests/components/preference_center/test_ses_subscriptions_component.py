"""The SES subscription function under Pulumi mocks: SES Subscription events of this stack's contact list only, from
the default bus; least privilege; nothing lost (EventBridge's and Lambda's failures in one encrypted queue, alarmed);
publishers added only where config names sets the events database does not already publish from."""
from __future__ import annotations

import json

import pytest

from components.config import ConfigError, load_stack_config

FUNCTION = "preferences-ses-subscriptions"
SETS = '["marketing-mail", "newsletters"]'


@pytest.fixture(scope="module")
def dev(dev_recording):
    return dev_recording


def test_the_rule_matches_only_ses_subscription_events_of_the_stacks_contact_list(dev):
    rule = dev.by_name(f"{FUNCTION}-rule")
    contact_list = dev.by_name("preferences-contacts").state["contactListName"]
    assert rule.inputs["eventBusName"] == "default"  # the only bus SES publishes to
    assert json.loads(rule.inputs["eventPattern"]) == {
        "source": ["aws.ses"], "detail-type": ["Email Subscribed"],
        "detail": {"eventType": ["Subscription"], "subscription": {"contactList": [contact_list]}}}


def test_the_target_retries_a_day_then_keeps_the_event_in_the_functions_encrypted_queue(dev):
    target = dev.by_name(f"{FUNCTION}-target")
    function, queue = dev.by_name(FUNCTION), dev.by_name(f"{FUNCTION}-dlq")
    assert (target.inputs["rule"], target.inputs["arn"]) == (dev.by_name(f"{FUNCTION}-rule").state["name"],
                                                             function.state["arn"])
    assert target.inputs["deadLetterConfig"] == {"arn": queue.state["arn"]}
    assert target.inputs["retryPolicy"] == {"maximumEventAgeInSeconds": 86400, "maximumRetryAttempts": 185}
    # Lambda's own failures after its retries go to the same queue, encrypted with the stack key
    assert function.inputs["deadLetterConfig"]["targetArn"] == queue.state["arn"] and queue.inputs["kmsMasterKeyId"]
    assert function.inputs["handler"] == "preference_api.ses_subscriptions.lambda_handler"
    variables = function.inputs["environment"]["variables"]
    assert variables["CONTACT_LIST_NAME"] == dev.by_name("preferences-contacts").state["contactListName"]
    assert variables["PREFERENCE_CENTER_IDS"] == "default"
    # EventBridge may invoke and reach the queue before its first delivery; the function waited for its policy
    for dependency in (f"{FUNCTION}-invoke", f"{FUNCTION}-dlq-policy", f"{FUNCTION}-policy"):
        urn = dev.by_name(dependency).urn
        assert urn in target.dependencies or urn in function.dependencies
    assert dev.by_name(f"{FUNCTION}-policy").urn in function.dependencies
    assert dev.by_name(f"{FUNCTION}-invoke").urn in target.dependencies
    assert dev.by_name(f"{FUNCTION}-dlq-policy").urn in target.dependencies


def test_only_the_rule_may_invoke_the_function_or_fill_its_queue(dev):
    rule_arn = dev.by_name(f"{FUNCTION}-rule").state["arn"]
    permission = dev.by_name(f"{FUNCTION}-invoke")
    assert (permission.inputs["principal"], permission.inputs["sourceArn"], permission.inputs["action"]) == (
        "events.amazonaws.com", rule_arn, "lambda:InvokeFunction")
    [grant] = json.loads(dev.by_name(f"{FUNCTION}-dlq-policy").inputs["policy"])["Statement"]
    assert grant["Principal"] == {"Service": "events.amazonaws.com"} and grant["Action"] == "sqs:SendMessage"
    assert grant["Condition"] == {"ArnEquals": {"aws:SourceArn": rule_arn}}


def test_the_role_reads_the_registry_and_record_and_appends_only_to_preferences_and_consent(dev):
    granted = {s.get("Sid"): s for s in json.loads(dev.by_name(f"{FUNCTION}-policy").inputs["policy"])["Statement"]}
    arn = {name: dev.by_name(f"preferences-{name}").state["arn"] for name in ("preferences", "consent", "addresses")}
    assert {sid: (s["Action"], s["Resource"]) for sid, s in granted.items()
            if sid not in ("OwnLogGroup", "XRayTracesHaveNoResourceArn", "OwnDeadLetterQueue", "StackKey")} == {
        "ReadAddressRegistry": (["dynamodb:GetItem"], [arn["addresses"]]),
        "ReadWritePreferences": (["dynamodb:GetItem", "dynamodb:PutItem"], [arn["preferences"]]),
        "AppendConsentRecords": (["dynamodb:PutItem"], [arn["consent"]])}


def test_failures_raise_alarms_and_the_function_is_exported_for_the_replay(dev):
    failed = dev.by_name(f"{FUNCTION}-failed")
    assert failed.inputs["dimensions"] == {"QueueName": dev.by_name(f"{FUNCTION}-dlq").state["name"]}
    assert failed.inputs["threshold"] == 0 and "tools.preference_ses_replay" in failed.inputs["alarmDescription"]
    assert dev.by_name(f"{FUNCTION}-errors").inputs["dimensions"] == {"FunctionName": dev.by_name(FUNCTION).state["name"]}
    assert dev.exports["preferenceSesSubscriptionFunction"] == dev.by_name(FUNCTION).state["name"]


def test_the_events_databases_sets_already_publish_subscription_events_so_none_is_added(dev):
    # dev deploys the events database: its bus destination matches SUBSCRIPTION, and the center adds nothing
    to_bus = dev.by_name("events-ses-to-bus")
    assert "SUBSCRIPTION" in to_bus.inputs["eventDestination"]["matchingEventTypes"]
    assert not [r for r in dev.registrations if r.name.startswith(f"{FUNCTION}-") and
                r.type == "aws:sesv2/configurationSetEventDestination:ConfigurationSetEventDestination"]


def test_named_configuration_sets_get_an_eventbridge_destination_for_subscription_events(record):
    recording = record("dev", {"engagement:preferenceCenterSesConfigurationSets": SETS})
    destinations = {r.inputs["configurationSetName"]: r.inputs for r in recording.registrations
                    if r.name.startswith(f"{FUNCTION}-") and r.type.startswith("aws:sesv2/configurationSetEvent")}
    assert sorted(destinations) == ["marketing-mail", "newsletters"]
    for inputs in destinations.values():
        destination = inputs["eventDestination"]
        assert destination["matchingEventTypes"] == ["SUBSCRIPTION"] and destination["enabled"] is True
        assert destination["eventBridgeDestination"]["eventBusArn"].endswith(":event-bus/default")
        assert "kinesisFirehoseDestination" not in destination


def test_without_any_publisher_the_function_is_wired_and_a_warning_says_what_to_set(record, monkeypatch):
    import pulumi

    warnings = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, resource=None, *args, **kwargs: warnings.append(message))
    recording = record("dev", {"engagement:eventsDatabaseEnabled": "false",
                               "engagement:predictiveEngagementEnabled": "false",
                               "engagement:predictiveSegmentationEnabled": "false"})
    assert recording.by_name(f"{FUNCTION}-target").inputs["arn"] == recording.by_name(FUNCTION).state["arn"]
    assert [w for w in warnings if "engagement:preferenceCenterSesConfigurationSets" in w]


def test_without_the_events_database_the_named_sets_publish(record):
    recording = record("dev", {"engagement:eventsDatabaseEnabled": "false",
                               "engagement:predictiveEngagementEnabled": "false",
                               "engagement:predictiveSegmentationEnabled": "false",
                               "engagement:preferenceCenterSesConfigurationSets": '["marketing-mail"]'})
    assert recording.by_name(f"{FUNCTION}-target").inputs["arn"] == recording.by_name(FUNCTION).state["arn"]
    assert recording.by_name(f"{FUNCTION}-publisher-marketing-mail").inputs["configurationSetName"] == "marketing-mail"
    assert "preferenceSesSubscriptionFunction" in recording.exports


@pytest.mark.parametrize("raw,fragment", [
    ({"engagement:preferenceCenterSesConfigurationSets": '["has space"]'}, "not an SES configuration set name"),
    ({"engagement:preferenceCenterSesConfigurationSets": '["a", "a"]'}, "names a configuration set twice"),
    ({"engagement:preferenceCenterSesConfigurationSets": "marketing-mail"}, "must be a list"),
    ({"engagement:eventsDatabaseExistingConfigurationSets": '["marketing-mail"]',
      "engagement:preferenceCenterSesConfigurationSets": '["marketing-mail", "other"]'},
     "names marketing-mail, which the events database already publishes"),
], ids=["bad_name", "duplicate", "scalar", "already_published_by_the_events_database"])
def test_bad_configuration_sets_are_refused_naming_the_key_before_anything_is_registered(raw, fragment):
    base = {"engagement:preferenceCenterEnabled": "true", "engagement:eventsDatabaseEnabled": "true"}
    with pytest.raises(ConfigError) as error:
        load_stack_config({**base, **raw})
    message = str(error.value)
    assert "'engagement:preferenceCenterSesConfigurationSets'" in message and fragment in message
    assert "Fix:" in message

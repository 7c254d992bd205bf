"""functions/preference_api's `ses_subscriptions` entry point: opt-outs made on SES's own subscription management
(its hosted unsubscribe page, the List-Unsubscribe header it adds for contact lists) reach the owner's record.

SES publishes a `Subscription` event (EventBridge detail-type `Email Subscribed`, source `aws.ses`, as the
EventBridge events reference lists SES's events) to the DEFAULT bus, the only bus SES can target, for mail sent
through a configuration set whose EventBridge destination matches SUBSCRIPTION. Which sets publish it:

- the events database's own set and its `eventsDatabaseExistingConfigurationSets`, when it is in the stack: its
  bus destination already matches SUBSCRIPTION (components/events_database/sources.py), so nothing is added;
- the sets named by `preferenceCenterSesConfigurationSets`: this component adds one EventBridge destination
  (SUBSCRIPTION only) to each. Naming a set the events database already publishes from is a config error.

A rule on the default bus keeps only this stack's contact list's Subscription events (whichever set the mail was
sent through) and invokes the function. Nothing is lost: EventBridge retries for 24 hours and then puts the event
in the function's own encrypted dead-letter queue, where Lambda also puts an invocation that failed after its
retries; `python -m tools.preference_ses_replay` replays it (applying an event twice is harmless). Mail sent
through a set that publishes no Subscription events still cannot lose an opt-out: the sync keeps a topic SES shows
opted out until the owner chooses again (functions/preference_sync/opt_outs.py). The role may read the address
registry and the record and append to the preferences and consent tables, nothing else.
"""
from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from .. import iam
from ..kms import EncryptionKey
from ..lambda_function import PackagedFunction
from .event_functions import allow_source, create_event_function
from .tables import Tables

DETAIL_TYPE = "Email Subscribed"
DESTINATION_NAME = "preference-center-subscriptions"
MAXIMUM_EVENT_AGE_SECONDS = 24 * 3600  # EventBridge's maximum: a day to ride out a store outage before the DLQ


def event_pattern(contact_list_name: pulumi.Input[str]) -> pulumi.Output[str]:
    """SES Subscription events of this stack's contact list only (other lists' events never invoke us)."""
    return pulumi.Output.json_dumps({
        "source": ["aws.ses"], "detail-type": [DETAIL_TYPE],
        "detail": {"eventType": ["Subscription"], "subscription": {"contactList": [contact_list_name]}}})


def default_bus_arn() -> pulumi.Output[str]:
    return pulumi.Output.concat("arn:aws:events:", iam.region_name(), ":", iam.account_id(), ":event-bus/default")


def create_publishers(name: str, configuration_sets: Sequence[str],
                      parent: pulumi.Resource) -> list[aws.sesv2.ConfigurationSetEventDestination]:
    """An EventBridge destination matching SUBSCRIPTION on each named set (SES needs no role for the default
    bus, so there is no policy to wait for)."""
    return [aws.sesv2.ConfigurationSetEventDestination(
        f"{name}-ses-subscriptions-publisher-{set_name}", configuration_set_name=set_name,
        event_destination_name=DESTINATION_NAME,
        event_destination=aws.sesv2.ConfigurationSetEventDestinationEventDestinationArgs(
            enabled=True, matching_event_types=["SUBSCRIPTION"],
            event_bridge_destination=aws.sesv2.ConfigurationSetEventDestinationEventDestinationEventBridgeDestinationArgs(
                event_bus_arn=default_bus_arn())),
        opts=pulumi.ResourceOptions(parent=parent)) for set_name in configuration_sets]


def create_ses_subscriptions(name: str, tables: Tables, center_id: str, contact_list_name: pulumi.Input[str],
                             key: EncryptionKey, log_retention_days: int, log_level: str,
                             parent: pulumi.Resource) -> PackagedFunction:
    environment = {
        "PREFERENCES_TABLE": tables.preferences.name, "CONSENT_TABLE": tables.consent.name,
        "ADDRESSES_TABLE": tables.addresses.name, "CONTACT_LIST_NAME": contact_list_name,
        "PREFERENCE_CENTER_IDS": center_id}
    # Exactly the calls ses_subscriptions.py makes: the registry and the record are read, the change is one
    # transaction of a conditioned preferences Put and an append-only consent Put (authorised per item).
    statements = [
        iam.allow(["dynamodb:GetItem"], [tables.addresses.arn], sid="ReadAddressRegistry"),
        iam.allow(["dynamodb:GetItem", "dynamodb:PutItem"], [tables.preferences.arn], sid="ReadWritePreferences"),
        iam.allow(["dynamodb:PutItem"], [tables.consent.arn], sid="AppendConsentRecords"),
    ]
    function = create_event_function(f"{name}-ses-subscriptions", "ses_subscriptions.lambda_handler",
                                     "Applies opt-outs made on SES's subscription page to the preference center",
                                     environment, statements, key, log_retention_days, log_level, parent)
    rule = aws.cloudwatch.EventRule(
        f"{name}-ses-subscriptions-rule", event_bus_name="default", event_pattern=event_pattern(contact_list_name),
        description="SES Subscription events of the preference center's contact list",
        opts=pulumi.ResourceOptions(parent=parent))
    # EventBridge checks neither when the target is created, but its first delivery must already be allowed.
    allowed = allow_source(f"{name}-ses-subscriptions", function, "events.amazonaws.com", "SesSubscriptionDeadLetters",
                           rule.arn, parent)
    aws.cloudwatch.EventTarget(
        f"{name}-ses-subscriptions-target", rule=rule.name, event_bus_name="default", arn=function.arn,
        dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=function.dead_letter_queue.arn),
        retry_policy=aws.cloudwatch.EventTargetRetryPolicyArgs(
            maximum_event_age_in_seconds=MAXIMUM_EVENT_AGE_SECONDS, maximum_retry_attempts=185),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[*allowed, function]))
    return function

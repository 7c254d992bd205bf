"""Event sources: SES v2 and End User Messaging SMS/voice event destinations, app ingest, real-time bus.

Amazon Pinpoint's event stream ended with Pinpoint engagement (2026-10-30): events now come straight from the
sending services into the stream. SES also publishes to EventBridge's default bus (the only bus SES can target);
a rule forwards this stack's SES events to the stack's own bus, where real-time consumers subscribe.
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import iam
from ..config import EventsDatabaseSettings
from ..observability import dead_letter_queue

SES_EVENT_TYPES = ("SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "OPEN", "CLICK", "RENDERING_FAILURE",
                   "DELIVERY_DELAY", "SUBSCRIPTION")
DESTINATION_NAME = "engagement-events"


def _publisher_role(name: str, service: str, stream: aws.kinesis.FirehoseDeliveryStream,
                    parent: pulumi.Resource) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
    return iam.service_role(f"{name}-role", f"{name}-policy", service, [
        iam.allow(["firehose:PutRecord", "firehose:PutRecordBatch"], [stream.arn])], parent,
        description=f"Lets {service} publish events into the engagement stream")


def _ses_destination(name: str, configuration_set_name: pulumi.Input[str], destination_name: str,
                     destination: dict, parent: pulumi.Resource,
                     depends_on: list[pulumi.Resource]) -> aws.sesv2.ConfigurationSetEventDestination:
    return aws.sesv2.ConfigurationSetEventDestination(
        name, configuration_set_name=configuration_set_name, event_destination_name=destination_name,
        event_destination=aws.sesv2.ConfigurationSetEventDestinationEventDestinationArgs(
            enabled=True, matching_event_types=list(SES_EVENT_TYPES), **destination),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=depends_on))


def create_ses_sources(name: str, stream: aws.kinesis.FirehoseDeliveryStream, existing_sets: tuple[str, ...],
                       parent: pulumi.Resource) -> aws.sesv2.ConfigurationSet:
    configuration_set = aws.sesv2.ConfigurationSet(
        f"{name}-ses", configuration_set_name=EventsDatabaseSettings.configuration_set_name(pulumi.get_project(), pulumi.get_stack()),
        delivery_options=aws.sesv2.ConfigurationSetDeliveryOptionsArgs(tls_policy="REQUIRE"),
        reputation_options=aws.sesv2.ConfigurationSetReputationOptionsArgs(reputation_metrics_enabled=True),
        sending_options=aws.sesv2.ConfigurationSetSendingOptionsArgs(sending_enabled=True),
        suppression_options=aws.sesv2.ConfigurationSetSuppressionOptionsArgs(
            suppressed_reasons=["BOUNCE", "COMPLAINT"]),
        opts=pulumi.ResourceOptions(parent=parent))
    role, policy = _publisher_role(f"{name}-ses-publisher", "ses.amazonaws.com", stream, parent)
    to_stream = {"kinesis_firehose_destination": aws.sesv2
                 .ConfigurationSetEventDestinationEventDestinationKinesisFirehoseDestinationArgs(
                     delivery_stream_arn=stream.arn, iam_role_arn=role.arn)}
    default_bus = pulumi.Output.concat("arn:aws:events:", iam.region_name(), ":", iam.account_id(),
                                       ":event-bus/default")
    to_bus = {"event_bridge_destination": aws.sesv2
              .ConfigurationSetEventDestinationEventDestinationEventBridgeDestinationArgs(event_bus_arn=default_bus)}
    for set_name, suffix in [(configuration_set.configuration_set_name, "ses")] + [
            (existing, f"existing-{existing}") for existing in existing_sets]:
        # SES checks at creation that it can assume the role and put into the stream: the policy must exist first.
        _ses_destination(f"{name}-{suffix}-to-stream", set_name, DESTINATION_NAME, to_stream, parent, [policy])
        _ses_destination(f"{name}-{suffix}-to-bus", set_name, f"{DESTINATION_NAME}-bus", to_bus, parent, [])
    return configuration_set


def create_sms_source(name: str, stream: aws.kinesis.FirehoseDeliveryStream,
                      parent: pulumi.Resource) -> aws.pinpoint.Smsvoicev2ConfigurationSet:
    # pinpoint.Smsvoicev2*: AWS End User Messaging SMS/voice, still supported (not Pinpoint engagement).
    configuration_set = aws.pinpoint.Smsvoicev2ConfigurationSet(
        f"{name}-sms", name=f"{pulumi.get_project()}-{pulumi.get_stack()}",
        default_message_type="TRANSACTIONAL", opts=pulumi.ResourceOptions(parent=parent))
    role, policy = _publisher_role(f"{name}-sms-publisher", "sms-voice.amazonaws.com", stream, parent)
    aws.pinpoint.Smsvoicev2EventDestination(
        f"{name}-sms-to-stream", configuration_set_name=configuration_set.name,
        event_destination_name=DESTINATION_NAME, enabled=True, matching_event_types=["ALL"],
        kinesis_firehose_destination=aws.pinpoint.Smsvoicev2EventDestinationKinesisFirehoseDestinationArgs(
            delivery_stream_arn=stream.arn, iam_role_arn=role.arn),
        # End User Messaging validates the role against the stream when the destination is created.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[policy]))
    return configuration_set


def create_ingest_policy(name: str, app_stream: aws.kinesis.FirehoseDeliveryStream,
                         parent: pulumi.Resource) -> aws.iam.Policy:
    """What an application's role needs to Direct-PUT custom events, and nothing more: the application stream
    only, whose transform refuses anything but custom app events; the main stream, which SES, End User
    Messaging, SNS and the project's Lambdas feed, stays out of applications' reach. (The description stays:
    changing it would replace the policy, and with it its ARN, which applications' roles attach.)"""
    return aws.iam.Policy(
        f"{name}-ingest", description="Put custom application events into the engagement events stream",
        policy=iam.document([iam.allow(["firehose:PutRecord", "firehose:PutRecordBatch"], [app_stream.arn],
                                       sid="PutEngagementEvents")]),
        opts=pulumi.ResourceOptions(parent=parent))


@dataclass
class DeadLetters:
    """The component's one dead-letter queue: what EventBridge (the bus rule) and SNS (two-way SMS replies)
    could not deliver after their retries waits here, each message saying where it came from."""
    queue: aws.sqs.Queue
    policy: aws.sqs.QueuePolicy


def create_event_bus(name: str, configuration_set: aws.sesv2.ConfigurationSet, key_arn: pulumi.Output[str],
                     inbound_topic: aws.sns.Topic, parent: pulumi.Resource
                     ) -> tuple[aws.cloudwatch.EventBus, aws.cloudwatch.EventRule, DeadLetters]:
    child = pulumi.ResourceOptions(parent=parent)
    bus = aws.cloudwatch.EventBus(f"{name}-bus", name=f"{pulumi.get_project()}-{pulumi.get_stack()}-engagement",
                                  kms_key_identifier=key_arn, opts=child)
    rule = aws.cloudwatch.EventRule(
        f"{name}-ses-events", description="This stack's SES events, forwarded to the engagement bus",
        event_bus_name="default", event_pattern=pulumi.Output.json_dumps({
            "source": ["aws.ses"],
            "detail": {"mail": {"tags": {"ses:configuration-set": [configuration_set.configuration_set_name]}}}}),
        opts=child)
    forward_role, forward_policy = iam.service_role(f"{name}-bus-forwarder", f"{name}-bus-forwarder-policy",
                                       "events.amazonaws.com", [iam.allow(["events:PutEvents"], [bus.arn])],
                                       parent)
    dead_letters = dead_letter_queue(f"{name}-bus-dlq", key_arn, parent)
    dead_letter_policy = aws.sqs.QueuePolicy(f"{name}-bus-dlq-policy", queue_url=dead_letters.url, policy=iam.document([
        _dead_letter_sender("EventBridgeRuleDeadLetters", "events.amazonaws.com", dead_letters.arn, rule.arn),
        _dead_letter_sender("InboundSmsDeadLetters", "sns.amazonaws.com", dead_letters.arn, inbound_topic.arn)]),
        opts=child)
    aws.cloudwatch.EventTarget(
        f"{name}-ses-events-to-bus", rule=rule.name, event_bus_name="default", arn=bus.arn,
        role_arn=forward_role.arn,
        dead_letter_config=aws.cloudwatch.EventTargetDeadLetterConfigArgs(arn=dead_letters.arn),
        retry_policy=aws.cloudwatch.EventTargetRetryPolicyArgs(maximum_event_age_in_seconds=86400,
                                                               maximum_retry_attempts=185),
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[forward_policy, dead_letter_policy]))
    return bus, rule, DeadLetters(dead_letters, dead_letter_policy)


def _dead_letter_sender(sid: str, service: str, queue_arn: pulumi.Input[str], source_arn: pulumi.Input[str]) -> dict:
    return {"Sid": sid, "Effect": "Allow", "Principal": {"Service": service}, "Action": "sqs:SendMessage",
            "Resource": queue_arn, "Condition": {"ArnEquals": {"aws:SourceArn": source_arn}}}

"""Two-way SMS: replies to our numbers (STOP, HELP, anything) into the events stream, and out to subscribers.

End User Messaging publishes each reply to a phone number's or pool's two-way channel, an SNS topic, assuming a
role we give it; the topic policy lets nobody else publish. The topic delivers to the events stream (SNS ->
Firehose subscription, SNS's envelope kept so the transform gets SNS's publish time) where replies become
`text_inbound` sms events; other consumers, such as the preference center applying STOP, subscribe to the same
topic. Phone numbers are registered outside the stack, so
attaching one is a command (README): `aws pinpoint-sms-voice-v2 update-phone-number --phone-number-id <id>
--two-way-enabled --two-way-channel-arn <inboundSmsTopicArn> --two-way-channel-role <twoWaySmsRoleArn>`.
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .. import iam
from ..kms import EncryptionKey
from .sources import DeadLetters


@dataclass
class InboundSms:
    topic: aws.sns.Topic
    channel_role: aws.iam.Role


def create_inbound_topic(name: str, key: EncryptionKey, parent: pulumi.Resource) -> InboundSms:
    topic = aws.sns.Topic(f"{name}-inbound-sms", name=f"{pulumi.get_project()}-{pulumi.get_stack()}-inbound-sms",
                          kms_master_key_id=key.arn, opts=pulumi.ResourceOptions(parent=parent))
    channel_role, _ = iam.service_role(
        f"{name}-two-way-sms", f"{name}-two-way-sms-policy", "sms-voice.amazonaws.com", [
            iam.allow(["sns:Publish"], [topic.arn], sid="PublishReplies"),
            iam.allow(["kms:Decrypt", "kms:GenerateDataKey"], [key.arn], sid="EncryptedTopic")], parent,
        description="Lets End User Messaging publish two-way SMS replies to the inbound topic")
    # Replies change consent (the preference center applies STOP and START): nobody but the channel role may
    # publish, not even a principal of the account whose identity policy allows sns:Publish on "*".
    aws.sns.TopicPolicy(f"{name}-inbound-sms-policy", arn=topic.arn, policy=iam.document([{
        "Sid": "OnlyTheTwoWayChannelPublishes", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "sns:Publish",
        "Resource": topic.arn, "Condition": {"ArnNotEquals": {"aws:PrincipalArn": channel_role.arn}}}]),
        opts=pulumi.ResourceOptions(parent=parent))
    return InboundSms(topic=topic, channel_role=channel_role)


def deliver_to_stream(name: str, inbound: InboundSms, stream: aws.kinesis.FirehoseDeliveryStream,
                      dead_letters: DeadLetters, parent: pulumi.Resource) -> aws.sns.TopicSubscription:
    delivery_role, delivery_policy = iam.service_role(
        f"{name}-inbound-sms-delivery", f"{name}-inbound-sms-delivery-policy", "sns.amazonaws.com", [
            iam.allow(["firehose:DescribeDeliveryStream", "firehose:ListTagsForDeliveryStream",
                       "firehose:PutRecord", "firehose:PutRecordBatch"], [stream.arn], sid="PutReplies")], parent,
        description="Lets SNS deliver two-way SMS replies into the engagement events stream")
    # SNS retries Firehose for 23 days; what it still cannot deliver goes to the component's dead-letter queue.
    return aws.sns.TopicSubscription(
        f"{name}-inbound-sms-to-stream", topic=inbound.topic.arn, protocol="firehose", endpoint=stream.arn,
        subscription_role_arn=delivery_role.arn, raw_message_delivery=False,
        redrive_policy=pulumi.Output.json_dumps({"deadLetterTargetArn": dead_letters.queue.arn}),
        # SNS assumes the role and checks the stream (and the queue's policy) when the subscription is created.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[delivery_policy, dead_letters.policy]))

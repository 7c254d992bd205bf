"""EXPECTED: aws-iam-resource-policy-disallow-cross-account-broad-access. CLASS: 2. The partner account needs to
put events; the bus policy gives it every EventBridge action on the bus, rules and targets included."""
import pulumi_aws as aws

import baseline as b

bus = aws.cloudwatch.EventBus("partners", name="partners", tags=b.TAGS)
aws.cloudwatch.EventBusPolicy("partners-policy", event_bus_name=bus.name, policy=bus.arn.apply(lambda arn: b.doc({
    "Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
    "Action": "events:*", "Resource": arn})))

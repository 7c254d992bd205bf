"""EXPECTED: aws-cloudwatch-event-bus-policy-disallow-public-principal. CLASS: 1. "Only our organisation" with
StringLike o-*: every organisation matches."""
import pulumi_aws as aws

import baseline as b

bus = aws.cloudwatch.EventBus("partners", name="partners", tags=b.TAGS)
aws.cloudwatch.EventBusPolicy("partners-policy", event_bus_name=bus.name, policy=bus.arn.apply(lambda arn: b.doc({
    "Sid": "Organisation", "Effect": "Allow", "Principal": "*", "Action": "events:PutEvents", "Resource": arn,
    "Condition": {"StringLike": {"aws:PrincipalOrgID": "o-*"}}})))

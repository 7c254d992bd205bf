"""Optional Amazon Connect Customer Profiles domain (encrypted, with a dead-letter queue and an expiration),
unless the stack names an existing one. The object type and the "predicted-to-churn" segment definition are
created by the post-processing Lambda on first use (pulumi-aws has no resource for them)."""
from __future__ import annotations

import pulumi
import pulumi_aws as aws

from .. import iam
from ..config import PredictiveSegmentationSettings
from ..foundation import Foundation
from ..observability import dead_letter_queue


def domain(name: str, settings: PredictiveSegmentationSettings, foundation: Foundation,
           parent: pulumi.Resource) -> tuple[pulumi.Output[str], pulumi.Output[str]]:
    """(domain name, domain ARN)."""
    region, account = iam.region_name(), iam.account_id()
    if settings.customer_profiles_domain:
        name_output = pulumi.Output.from_input(settings.customer_profiles_domain)
        return name_output, pulumi.Output.concat("arn:aws:profile:", region, ":", account, ":domains/", name_output)
    queue = dead_letter_queue(f"{name}-profiles-dlq", foundation.key.arn, parent)
    policy = aws.sqs.QueuePolicy(f"{name}-profiles-dlq-policy", queue_url=queue.url, policy=iam.document([{
        "Sid": "CustomerProfilesOfOurAccount", "Effect": "Allow", "Principal": {"Service": "profile.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": queue.arn,
        "Condition": {"StringEquals": {"aws:SourceAccount": account}}}]), opts=pulumi.ResourceOptions(parent=parent))
    created = aws.customerprofiles.Domain(
        f"{name}-profiles", domain_name=f"{pulumi.get_project()}-{pulumi.get_stack()}",
        default_encryption_key=foundation.key.arn, dead_letter_queue_url=queue.url,
        default_expiration_days=settings.customer_profiles_expiration_days,
        # Customer Profiles checks that it may send to the queue when the domain is created.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[policy]))
    return created.domain_name, created.arn

"""Optional Amazon Connect Customer Profiles: the domain (encrypted, with a dead-letter queue and an expiration)
unless the stack names an existing one, and in either domain the `ChurnScore` object type and the
"predicted-to-churn" segment definition, declared from contracts/churn_profiles.py (pulumi-aws has no resource
for them, so pulumi-aws-native, imported only here and only when enabled). Declared, they show in
`pulumi preview` and the policy pack, and the post-processing Lambda needs no right to change them."""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from contracts import churn_profiles as contract

from .. import iam
from ..config import PredictiveSegmentationSettings
from ..foundation import Foundation
from ..observability import dead_letter_queue


@dataclass(frozen=True)
class CustomerProfiles:
    domain_name: pulumi.Output[str]
    domain_arn: pulumi.Output[str]
    object_type: pulumi.CustomResource
    segment: pulumi.CustomResource


def create(name: str, settings: PredictiveSegmentationSettings, foundation: Foundation, protect: bool,
           parent: pulumi.Resource) -> CustomerProfiles:
    domain_name, domain_arn = _domain(name, settings, foundation, protect, parent)
    object_type, segment = _definitions(name, domain_name, settings.customer_profiles_expiration_days, protect,
                                        parent)
    return CustomerProfiles(domain_name, domain_arn, object_type, segment)


def _domain(name: str, settings: PredictiveSegmentationSettings, foundation: Foundation, protect: bool,
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
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[policy], protect=protect))
    return created.domain_name, created.arn


def _definitions(name: str, domain_name: pulumi.Output[str], expiration_days: int, protect: bool,
                 parent: pulumi.Resource) -> tuple[pulumi.CustomResource, pulumi.CustomResource]:
    import pulumi_aws_native as aws_native  # a stack without Customer Profiles never loads the package
    from pulumi_aws_native import customerprofiles as cp

    provider = aws_native.Provider(f"{name}-profiles-aws-native", region=iam.region_name(),
                                   opts=pulumi.ResourceOptions(parent=parent))
    opts = pulumi.ResourceOptions(parent=parent, provider=provider)
    # Deleting the object type deletes every ChurnScore object on the profiles: protected like other data.
    object_type = cp.ObjectType(
        f"{name}-profile-object-type", domain_name=domain_name, object_type_name=contract.OBJECT_TYPE,
        description=contract.OBJECT_TYPE_DESCRIPTION, expiration_days=expiration_days,
        allow_profile_creation=contract.ALLOW_PROFILE_CREATION,
        fields=[cp.ObjectTypeFieldMapArgs(name=field, object_type_field=cp.ObjectTypeFieldArgs(
            source=f"_source.{field}", target=target, content_type=cp.ObjectTypeFieldContentType(kind)))
            for field, (target, kind) in contract.FIELDS.items()],
        keys=[cp.ObjectTypeKeyMapArgs(name=contract.KEY_FIELD, object_type_key_list=[cp.ObjectTypeKeyArgs(
            field_names=[contract.KEY_FIELD],
            standard_identifiers=[cp.ObjectTypeKeyStandardIdentifiersItem(i) for i in contract.KEY_IDENTIFIERS])])],
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=protect)))
    segment = cp.SegmentDefinition(
        f"{name}-churn-segment", domain_name=domain_name, segment_definition_name=contract.SEGMENT,
        display_name=contract.SEGMENT_DISPLAY_NAME, description=contract.SEGMENT_DESCRIPTION,
        segment_groups=cp.SegmentDefinitionSegmentGroupArgs(
            include=cp.SegmentDefinitionIncludeOptions.ALL, groups=[cp.SegmentDefinitionGroupArgs(
                type=cp.SegmentDefinitionIncludeOptions.ALL, dimensions=[cp.SegmentDefinitionDimension0PropertiesArgs(
                    profile_attributes=cp.SegmentDefinitionProfileAttributesArgs(attributes={
                        contract.profile_attribute(contract.AUDIENCE_FIELD): cp.SegmentDefinitionAttributeDimensionArgs(
                            dimension_type=cp.SegmentDefinitionAttributeDimensionType.INCLUSIVE,
                            values=[contract.AUDIENCE_VALUE])}))])]),
        # The segment reads the attribute the object type writes.
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[object_type])))
    return object_type, segment

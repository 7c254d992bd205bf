"""Optional: recommendations also onto Amazon Connect Customer Profiles (AWS's successor for Pinpoint audiences).

The domain is the team's own (config `predictiveEngagementCustomerProfilesDomain`); this solution adds an object
type that maps the writer's objects onto the profile whose AccountNumber is the user id: `recommended_items`,
`recommendations_model` and `recommendations_generated_at` become profile attributes that Customer Profiles
segments (and Connect outbound campaigns) can use. Objects are encrypted with the domain's own default key
(the domain's setting, not this stack's key, which Customer Profiles' service principal may not use).
"""
from __future__ import annotations

import pulumi
import pulumi_aws_native as aws_native
from pulumi_aws_native import customerprofiles as cp

OBJECT_TYPE = "EngagementRecommendations"  # the writer Lambda's CUSTOMER_PROFILES_OBJECT_TYPE default
FIELDS = {"user_id": "_profile.AccountNumber", "recommended_items": "_profile.Attributes.recommended_items",
          "model_version": "_profile.Attributes.recommendations_model",
          "generated_at": "_profile.Attributes.recommendations_generated_at"}


def create(name: str, domain: str, provider: aws_native.Provider, parent: pulumi.Resource) -> cp.ObjectType:
    return cp.ObjectType(
        f"{name}-profile-object-type", domain_name=domain, object_type_name=OBJECT_TYPE,
        description="Personalize recommendations written by the predictive engagement workflow",
        allow_profile_creation=False, expiration_days=365,
        fields=[cp.ObjectTypeFieldMapArgs(name=field, object_type_field=cp.ObjectTypeFieldArgs(
            source=f"_source.{field}", target=target, content_type=cp.ObjectTypeFieldContentType.STRING))
            for field, target in FIELDS.items()],
        keys=[cp.ObjectTypeKeyMapArgs(name="user_id", object_type_key_list=[cp.ObjectTypeKeyArgs(
            field_names=["user_id"], standard_identifiers=[cp.ObjectTypeKeyStandardIdentifiersItem.PROFILE,
                                                           cp.ObjectTypeKeyStandardIdentifiersItem.UNIQUE])])],
        opts=pulumi.ResourceOptions(parent=parent, provider=provider))

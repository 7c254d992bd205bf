"""Customer Profiles definitions of predictive segmentation, declared by the stack (pulumi-aws-native) in a created
domain (prod) and in an existing one, from the one contract the post-processing Lambda writes by."""
from __future__ import annotations

import json

import pytest

from contracts import churn_profiles

OBJECT_TYPE = "aws-native:customerprofiles:ObjectType"
SEGMENT = "aws-native:customerprofiles:SegmentDefinition"
MACHINE = "segmentation-pipeline"


def _postprocess_profile_statement(recording) -> dict:
    policy = json.loads(recording.by_name("segmentation-postprocess-policy").inputs["policy"])
    statement, = [s for s in policy["Statement"] if s["Sid"] == "CustomerProfiles"]
    return statement


def _check_definitions(recording, domain_name: str, domain_arn: str, expiration_days: int, protect: bool) -> None:
    object_type = recording.by_name("segmentation-profile-object-type")
    assert object_type.type == OBJECT_TYPE and object_type.protect is protect
    inputs = object_type.inputs
    assert (inputs["domainName"], inputs["objectTypeName"], inputs["expirationDays"]) == (
        domain_name, "ChurnScore", expiration_days)
    assert inputs["allowProfileCreation"] is True
    assert {f["name"]: (f["objectTypeField"]["source"], f["objectTypeField"]["target"],
                        f["objectTypeField"]["contentType"]) for f in inputs["fields"]} == {
        name: (f"_source.{name}", target, kind) for name, (target, kind) in churn_profiles.FIELDS.items()}
    assert inputs["keys"] == [{"name": "customer_id", "objectTypeKeyList": [
        {"fieldNames": ["customer_id"], "standardIdentifiers": ["PROFILE", "UNIQUE"]}]}]
    assert {t["key"]: t["value"] for t in inputs["tags"]}["solution"] == "predictive-segmentation"

    segment = recording.by_name("segmentation-churn-segment")
    assert segment.type == SEGMENT and object_type.urn in segment.dependencies
    assert (segment.inputs["domainName"], segment.inputs["segmentDefinitionName"]) == (domain_name,
                                                                                        "predicted-to-churn")
    assert segment.inputs["segmentGroups"] == {"include": "ALL", "groups": [{"type": "ALL", "dimensions": [
        {"profileAttributes": {"attributes": {"churn_in_audience": {"dimensionType": "INCLUSIVE",
                                                                    "values": ["true"]}}}}]}]}
    # Both go through an aws-native provider pinned to the stack's region.
    provider = recording.by_name("segmentation-profiles-aws-native")
    assert object_type.provider.startswith(provider.urn + "::") and segment.provider == object_type.provider
    assert provider.inputs["region"] == "us-east-1"

    # No run starts before the object type and the segment exist.
    machine, = [r for r in recording.by_type("aws:sfn/stateMachine:StateMachine") if r.name == MACHINE]
    assert {object_type.urn, segment.urn} <= set(machine.dependencies)

    # The Lambda only sends objects into that type: no definition writes, nothing outside the domain.
    statement = _postprocess_profile_statement(recording)
    assert statement["Action"] == ["profile:BatchPutProfileObject", "profile:PutProfileObject"]
    assert statement["Resource"] == [domain_arn, f"{domain_arn}/object-types/ChurnScore"]
    env = recording.by_name("segmentation-postprocess").inputs["environment"]["variables"]
    assert env["CUSTOMER_PROFILES_DOMAIN"] == domain_name and "CUSTOMER_PROFILES_EXPIRATION_DAYS" not in env


def test_prod_declares_the_definitions_in_its_created_domain(prod_recording):
    domain = prod_recording.by_name("segmentation-profiles")
    assert domain.protect is True
    _check_definitions(prod_recording, domain.inputs["domainName"], domain.state["arn"], 365, protect=True)


def test_an_existing_domain_gets_the_same_definitions(record):
    recording = record("dev", {"engagement:predictiveSegmentationCustomerProfilesEnabled": "true",
                               "engagement:predictiveSegmentationCustomerProfilesDomain": "acme-cx",
                               "engagement:predictiveSegmentationCustomerProfilesExpirationDays": "90"})
    assert recording.by_type("aws:customerprofiles/domain:Domain") == []
    _check_definitions(recording, "acme-cx", "arn:aws:profile:us-east-1:123456789012:domains/acme-cx", 90,
                       protect=False)


def test_without_customer_profiles_nothing_is_declared_and_nothing_granted(dev_recording):
    assert dev_recording.by_type(OBJECT_TYPE) == [] and dev_recording.by_type(SEGMENT) == []
    with pytest.raises(ValueError):
        _postprocess_profile_statement(dev_recording)

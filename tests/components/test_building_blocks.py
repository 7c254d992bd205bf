"""Shared building blocks as the real stack uses them: secure defaults, parents, tags, prod protection."""
from __future__ import annotations

import json

import pytest

from components.secure_bucket import LifecycleRule, SecureBucketArgs, _validate
from components.tagging import taggable



def _taggable(registration) -> bool:
    import importlib

    if registration.type.startswith("pulumi:providers:"):
        return False
    package = "pulumi_aws_native" if registration.type.startswith("aws-native:") else "pulumi_aws"
    module_name, class_name = registration.type.split(":")[1].split("/")[0], registration.type.split(":")[-1]
    module = importlib.import_module(f"{package}.{'lambda_' if module_name == 'lambda' else module_name}")
    return taggable(getattr(module, class_name))


def _tags(registration) -> dict:
    tags = registration.inputs.get("tags") or {}
    # aws-native takes tags as a list of {key, value}
    return {t["key"]: t["value"] for t in tags} if isinstance(tags, list) else tags


def test_every_taggable_resource_carries_environment_project_owner_and_solution(dev_recording):
    taggable = [r for r in dev_recording.registrations if r.custom and _taggable(r)]
    assert len(taggable) > 20
    for registration in taggable:
        tags = _tags(registration)
        assert tags.get("environment") == "dev", registration.urn
        assert tags.get("project") == "engagement" and tags.get("owner") == "platform-team", registration.urn
        assert tags.get("solution") in {"shared", "events-database", "preference-center",
                                        "predictive-segmentation", "predictive-engagement"}, registration.urn


def test_prod_extra_tags_reach_resources(prod_recording):
    key = prod_recording.by_name("shared-data-key")
    assert key.inputs["tags"]["cost-center"] == "marketing-platform"


def test_secure_bucket_has_every_control_as_a_child(dev_recording):
    bucket = dev_recording.by_name("events-lake")
    component = next(r for r in dev_recording.registrations if r.urn == bucket.parent)
    assert component.type == "engagement:shared:SecureBucket"
    siblings = {r.type.split(":")[-1]: r for r in dev_recording.children(component.urn)}
    assert {"BucketOwnershipControls", "BucketPublicAccessBlock", "BucketServerSideEncryptionConfiguration",
            "BucketVersioning", "BucketLogging", "BucketLifecycleConfiguration", "BucketPolicy"} <= set(siblings)
    block = siblings["BucketPublicAccessBlock"].inputs
    assert all(block[flag] is True for flag in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls",
                                                "restrictPublicBuckets"))
    rule = siblings["BucketServerSideEncryptionConfiguration"].inputs["rules"][0]
    assert rule["applyServerSideEncryptionByDefault"]["sseAlgorithm"] == "aws:kms"
    assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"].startswith("arn:aws:kms:")
    assert siblings["BucketOwnershipControls"].inputs["rule"]["objectOwnership"] == "BucketOwnerEnforced"
    policy = json.loads(siblings["BucketPolicy"].inputs["policy"])
    deny = policy["Statement"][0]
    assert deny["Effect"] == "Deny" and deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert siblings["BucketLogging"].inputs["targetBucket"] == dev_recording.by_name("shared-access-logs").id


def test_lifecycle_aborts_incomplete_uploads_and_expires_transient_prefixes(dev_recording):
    rules = {r["id"]: r for r in dev_recording.by_name("events-lake-lifecycle").inputs["rules"]}
    assert rules["abort-incomplete-uploads"]["abortIncompleteMultipartUpload"]["daysAfterInitiation"] == 7
    assert rules["expire-raw-backup"]["expiration"]["days"] == 14  # Pulumi.dev.yaml
    assert rules["expire-athena-results"]["filter"]["prefix"] == "athena-results/"
    assert rules["events-to-infrequent-access"]["transitions"][0]["storageClass"] == "STANDARD_IA"


def test_kms_key_rotates_and_lets_only_our_account_services_use_it(prod_recording):
    key = prod_recording.by_name("shared-data-key")
    assert key.inputs["enableKeyRotation"] is True and key.inputs["deletionWindowInDays"] == 30
    statements = json.loads(key.inputs["policy"])["Statement"]
    services = next(s for s in statements if s["Sid"] == "ServicesPublishIntoOurEncryptedResources")
    assert services["Condition"] == {"StringEquals": {"aws:SourceAccount": "123456789012"}}
    assert prod_recording.by_name("shared-data-alias").inputs["name"] == "alias/engagement-prod"


@pytest.mark.parametrize("stateful_type", ["aws:s3/bucket:Bucket", "aws:kms/key:Key",
                                           "aws:glue/catalogDatabase:CatalogDatabase"])
def test_stateful_resources_are_protected_in_prod_only(prod_recording, dev_recording, stateful_type):
    assert all(r.protect for r in prod_recording.by_type(stateful_type))
    assert not any(r.protect for r in dev_recording.by_type(stateful_type))


def test_packaged_function_defaults(dev_recording):
    function = dev_recording.by_name("events-transform")
    inputs = function.inputs
    assert inputs["runtime"] == "python3.13" and inputs["architectures"] == ["arm64"]
    assert inputs["tracingConfig"] == {"mode": "Active"}
    assert inputs["handler"] == "events_transform.handler.lambda_handler"
    assert inputs["deadLetterConfig"]["targetArn"] == dev_recording.by_name("events-transform-dlq").state["arn"]
    log_group = dev_recording.by_name("events-transform-logs")
    assert inputs["loggingConfig"]["logGroup"] == log_group.inputs["name"]
    assert log_group.inputs["retentionInDays"] == 14 and log_group.inputs["kmsKeyId"]
    assert function.parent == dev_recording.by_name("events-transform-role").parent


def test_function_role_is_scoped_to_its_own_resources(dev_recording):
    statements = json.loads(dev_recording.by_name("events-transform-policy").inputs["policy"])["Statement"]
    by_sid = {s["Sid"]: s for s in statements}
    assert by_sid["OwnLogGroup"]["Resource"] == [
        dev_recording.by_name("events-transform-logs").state["arn"] + ":*"]
    wildcard = [s for s in statements if "*" in s["Resource"]]
    assert [s["Sid"] for s in wildcard] == ["XRayTracesHaveNoResourceArn"]


def test_secure_bucket_refuses_unsafe_arguments():
    with pytest.raises(ValueError, match="kms_key is required"):
        _validate(SecureBucketArgs(kms_key=None, access_log_bucket=None))
    with pytest.raises(ValueError, match=">= 30 days before STANDARD_IA"):
        _validate(SecureBucketArgs(kms_key=object(), access_log_bucket=object(),
                                   lifecycle_rules=[LifecycleRule("x", "p/", infrequent_access_days=10)]))
    with pytest.raises(ValueError, match="unique"):
        _validate(SecureBucketArgs(kms_key=object(), access_log_bucket=object(),
                                   lifecycle_rules=[LifecycleRule("x", "a/"), LifecycleRule("x", "b/")]))

"""Key rotation: a new {kid, key} becomes AWSCURRENT, the old one stays as AWSPREVIOUS for verification."""
from __future__ import annotations

import base64
import json
import time
import uuid

import boto3
import pytest

from functions.preference_api import tokens
from functions.signing_key_rotation import handler


def stages(arn):
    return boto3.client("secretsmanager").describe_secret(SecretId=arn)["VersionIdsToStages"]


def value(arn, stage):
    return json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=arn, VersionStage=stage)
                      ["SecretString"])


def test_rotation_promotes_a_new_key_and_keeps_the_old_as_previous(secret_arn, rotation_lambda_arn):
    # Given the original key k1 and a link signed with it
    original = value(secret_arn, "AWSCURRENT")
    keyring = tokens.load_keyring(secret_arn, boto3.client("secretsmanager"), max_age=0)
    link = tokens.sign(tokens.Claims("u-1", "default", "manage", int(time.time()) + 60), keyring.current)
    # When Secrets Manager rotates the secret through the rotation Lambda
    boto3.client("secretsmanager").rotate_secret(SecretId=secret_arn, RotationLambdaARN=rotation_lambda_arn,
                                                 RotationRules={"AutomaticallyAfterDays": 30})
    # Then a fresh 32-byte key with a new kid is current and the old key is previous
    current, previous = value(secret_arn, "AWSCURRENT"), value(secret_arn, "AWSPREVIOUS")
    assert previous == original
    assert current["kid"] != original["kid"] and len(base64.b64decode(current["key"])) == 32
    # And the link signed before the rotation still verifies during the grace period
    rotated = tokens.load_keyring(secret_arn, boto3.client("secretsmanager"), max_age=0)
    assert rotated.current.kid == current["kid"]
    assert tokens.verify(link, rotated).user_id == "u-1"


def pending_version(arn, secret_string) -> str:
    """A rotation whose AWSPENDING version already holds `secret_string` (as after a createSecret)."""
    token = str(uuid.uuid4())
    boto3.client("secretsmanager").put_secret_value(SecretId=arn, ClientRequestToken=token,
                                                    SecretString=secret_string, VersionStages=["AWSPENDING"])
    return token


def event(arn, token, step):
    return {"SecretId": arn, "ClientRequestToken": token, "Step": step}


def test_steps_are_idempotent_when_retried(secret_arn, lambda_context):
    token = pending_version(secret_arn, handler.new_key("retry"))
    pending = value(secret_arn, "AWSPENDING")
    for step in ("createSecret", "createSecret", "setSecret", "testSecret", "finishSecret", "finishSecret"):
        handler.lambda_handler(event(secret_arn, token, step), lambda_context)
    # createSecret saw an existing pending key and kept it; finishSecret twice promoted it once
    assert value(secret_arn, "AWSCURRENT") == pending
    assert [v for v, s in stages(secret_arn).items() if "AWSCURRENT" in s] == [token]


@pytest.mark.parametrize("secret_string", ["{}", '{"kid": "x", "key": "c2hvcnQ="}', "not json"])
def test_malformed_pending_key_fails_test_secret_and_is_not_promoted(secret_arn, lambda_context, secret_string):
    token = pending_version(secret_arn, secret_string)
    with pytest.raises(handler.RotationError):
        handler.lambda_handler(event(secret_arn, token, "testSecret"), lambda_context)
    assert "AWSCURRENT" not in stages(secret_arn)[token]


def test_unknown_version_is_refused(secret_arn, lambda_context):
    with pytest.raises(handler.RotationError):
        handler.lambda_handler(event(secret_arn, str(uuid.uuid4()), "createSecret"), lambda_context)


def test_unknown_step_is_rejected_before_touching_the_secret(secret_arn, lambda_context):
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        handler.lambda_handler(event(secret_arn, "t", "dropSecret"), lambda_context)
    assert list(stages(secret_arn).values()) == [["AWSCURRENT"]]


def test_first_rotation_creates_the_first_key_of_an_empty_secret(aws):
    # Given the secret as the component creates it: no value, so no AWSCURRENT version and nothing in Pulumi state
    client = boto3.client("secretsmanager")
    arn = client.create_secret(Name="pc-signing-key-empty")["ARN"]
    token = str(uuid.uuid4())
    # When the createSecret and finishSecret steps run (moto's rotate_secret crashes on a secret without a
    # value, so the step functions are called directly, in Secrets Manager's order)
    handler.create_secret(client, arn, token)
    handler.check_pending(client, arn, token)
    handler.finish_secret(client, arn, token)
    # Then a valid 32-byte key is AWSCURRENT and the API can load its keyring
    assert "AWSCURRENT" in stages(arn)[token]
    keyring = tokens.load_keyring(arn, client, max_age=0)
    assert len(base64.b64decode(value(arn, "AWSCURRENT")["key"])) == 32
    assert keyring.current.kid == value(arn, "AWSCURRENT")["kid"]


KVS_ARN = "arn:aws:cloudfront::123456789012:key-value-store/0123abcd-0123-4567-8901-0123456789ab"


def test_set_secret_publishes_the_pending_origin_value_to_the_edge(secret_arn, lambda_context, monkeypatch):
    # moto has no CloudFront KeyValueStore: a Stubber on the real client checks the exact requests.
    from botocore.stub import Stubber

    kvs = boto3.client("cloudfront-keyvaluestore", region_name="us-east-1")
    token = pending_version(secret_arn, handler.new_key("edge"))
    pending = value(secret_arn, "AWSPENDING")
    with Stubber(kvs) as stub:
        stub.add_response("describe_key_value_store", {"ItemCount": 1, "TotalSizeInBytes": 50, "KvsARN": KVS_ARN,
                                                       "Created": 0, "ETag": "etag-1"}, {"KvsARN": KVS_ARN})
        stub.add_response("put_key", {"ItemCount": 1, "TotalSizeInBytes": 60, "ETag": "etag-2"},
                          {"KvsARN": KVS_ARN, "Key": "origin-verify", "Value": pending["origin_verify"],
                           "IfMatch": "etag-1"})
        monkeypatch.setenv("KVS_ARN", KVS_ARN)
        handler.rotate(boto3.client("secretsmanager"), handler.RotationEvent.model_validate(
            event(secret_arn, token, "setSecret")), kvs)
        stub.assert_no_pending_responses()
    assert len(pending["origin_verify"]) >= 32


def test_a_pending_version_without_an_origin_value_is_not_promoted(secret_arn, lambda_context):
    token = pending_version(secret_arn, json.dumps({"kid": "x", "key": base64.b64encode(b"k" * 32).decode()}))
    with pytest.raises(handler.RotationError):
        handler.lambda_handler(event(secret_arn, token, "testSecret"), lambda_context)


@pytest.mark.parametrize("request_token", ["manual.rotation.2026-12-06.after.leak", "rotation+1/2026:12:06 emergency!"])
def test_a_rotation_started_with_any_client_request_token_signs_links_the_api_accepts(secret_arn, lambda_context,
                                                                                      request_token):
    # The kid came from ClientRequestToken minus '-': a '.' in it made every link signed after the rotation
    # malformed (a token is `v1.<kid>.<payload>.<mac>`), yet testSecret passed and finishSecret promoted it.
    boto3.client("secretsmanager").put_secret_value(SecretId=secret_arn, ClientRequestToken=request_token,
                                                    SecretString=handler.new_key(request_token),
                                                    VersionStages=["AWSPENDING"])
    for step in ("testSecret", "finishSecret"):
        handler.lambda_handler(event(secret_arn, request_token, step), lambda_context)
    keyring = tokens.load_keyring(secret_arn, boto3.client("secretsmanager"), max_age=0)
    link = tokens.sign(tokens.Claims("u-1", "default", "manage", int(time.time()) + 60), keyring.current)
    assert tokens.verify(link, keyring).user_id == "u-1"


@pytest.mark.parametrize("kid", ["a.b", "é", "k" * 65, ""])
def test_a_pending_kid_links_cannot_carry_is_not_promoted(secret_arn, lambda_context, kid):
    token = pending_version(secret_arn, json.dumps({"kid": kid, "key": base64.b64encode(b"k" * 32).decode(),
                                                    "origin_verify": "o" * 43}))
    with pytest.raises(handler.RotationError):
        handler.lambda_handler(event(secret_arn, token, "testSecret"), lambda_context)
    assert "AWSCURRENT" not in stages(secret_arn)[token]


def test_a_pending_key_reusing_the_current_kid_is_not_promoted(secret_arn, lambda_context):
    # Links signed with the current key would be checked against the new key material and all fail.
    token = pending_version(secret_arn, json.dumps({"kid": "k1", "key": base64.b64encode(b"n" * 32).decode(),
                                                    "origin_verify": "o" * 43}))
    with pytest.raises(handler.RotationError, match="kid"):
        handler.lambda_handler(event(secret_arn, token, "testSecret"), lambda_context)
    assert "AWSCURRENT" not in stages(secret_arn)[token]

"""Rotation Lambda for the preference-center secret: {"kid", "key": base64 of 32 random bytes, "origin_verify"}.

The four standard steps. `key` signs links; only the API reads it from Secrets Manager. `origin_verify` is the
value CloudFront adds as X-Origin-Verify to every API request: setSecret writes the pending value into the
distribution's CloudFront KeyValueStore (read by its viewer-request function), so the edge's proof rotates with
the key and never passes through Pulumi state. The API accepts the current, previous and pending values, so
no request is refused while the KeyValueStore propagates. After finishSecret the old version becomes
AWSPREVIOUS, which the API still accepts: links signed before the rotation keep working for one period.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import json
import os
import re
import secrets
from typing import Any, Literal

from aws_lambda_powertools import Logger, Tracer
from pydantic import BaseModel, Field

logger = Logger()
tracer = Tracer()


class RotationEvent(BaseModel):
    secret_id: str = Field(alias="SecretId", min_length=1)
    token: str = Field(alias="ClientRequestToken", min_length=1)
    step: Literal["createSecret", "setSecret", "testSecret", "finishSecret"] = Field(alias="Step")


class RotationError(Exception):
    """The secret is not in a state this step can act on; Secrets Manager marks the rotation failed."""


# What a link's kid may hold: functions/preference_api/tokens.py TOKEN_SHAPE (not bundled with this function).
KID = re.compile(r"[A-Za-z0-9_-]{1,64}")
UUID_HEX = re.compile(r"[0-9a-fA-F]{32}")
ORIGIN_KEY = "origin-verify"  # the key the CloudFront function reads (components/preference_center/edge.py)


@functools.cache
def _client(service: str = "secretsmanager") -> Any:
    import boto3

    return boto3.client(service)


def new_key(token: str) -> str:
    return json.dumps({"kid": kid_for(token),
                       "key": base64.b64encode(secrets.token_bytes(32)).decode(),
                       "origin_verify": secrets.token_urlsafe(32)})


def kid_for(token: str) -> str:
    """The kid of a version: derived from its id, so unique per rotation and traceable to the version. Secrets
    Manager's own ids are UUIDs (kid: its first 16 hex digits); an id given to `rotate-secret
    --client-request-token` can hold any character, and a link's kid only KID's, so it is hashed."""
    compact = token.replace("-", "")
    return compact[:16] if UUID_HEX.fullmatch(compact) else hashlib.sha256(token.encode()).hexdigest()[:16]


def set_secret(client: Any, arn: str, token: str, kvs: Any, kvs_arn: str) -> None:
    """Publish the pending origin value to the edge (idempotent: a retried step writes the same value)."""
    if not kvs_arn:
        logger.warning("no KeyValueStore configured: the edge keeps its current origin value")
        return
    value = json.loads(client.get_secret_value(SecretId=arn, VersionId=token,
                                               VersionStage="AWSPENDING")["SecretString"])["origin_verify"]
    etag = kvs.describe_key_value_store(KvsARN=kvs_arn)["ETag"]
    kvs.put_key(KvsARN=kvs_arn, Key=ORIGIN_KEY, Value=value, IfMatch=etag)
    logger.info("published the pending origin value to the edge")


def create_secret(client: Any, arn: str, token: str) -> None:
    # No AWSCURRENT check: the first rotation (rotate_immediately at deploy time) runs on a secret created without
    # a value, and this step is what creates its first key, so no key ever passes through Pulumi state.
    try:
        client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")
        logger.info("pending version already has a key; nothing to create")  # retried step
    except client.exceptions.ResourceNotFoundException:
        client.put_secret_value(SecretId=arn, ClientRequestToken=token, SecretString=new_key(token),
                                VersionStages=["AWSPENDING"])
        logger.info("created new signing key version")


def check_pending(client: Any, arn: str, token: str) -> None:
    secret_string = client.get_secret_value(SecretId=arn, VersionId=token, VersionStage="AWSPENDING")["SecretString"]
    try:
        value = json.loads(secret_string)
        if len(base64.b64decode(value["key"], validate=True)) != 32 or not value.get("kid"):
            raise ValueError("wrong key length or no kid")
        if len(value.get("origin_verify", "")) < 32:
            raise ValueError("no origin value")
        if not isinstance(value["kid"], str) or not KID.fullmatch(value["kid"]):
            raise ValueError("a kid links cannot carry (letters, digits, '_' and '-', at most 64)")
        if value["kid"] in _other_kids(client, arn, token):
            raise ValueError("the kid of a key links are verified with (links signed with it would stop verifying)")
    except (ValueError, KeyError, TypeError) as exc:
        raise RotationError(f"pending signing key is malformed: {exc}") from None


def _other_kids(client: Any, arn: str, token: str) -> set[str]:
    """The kids of the versions links are verified with now (AWSCURRENT, AWSPREVIOUS), other than `token`."""
    versions = client.describe_secret(SecretId=arn).get("VersionIdsToStages", {})
    kids = set()
    for version, labels in versions.items():
        if version != token and {"AWSCURRENT", "AWSPREVIOUS"} & set(labels):
            secret_string = client.get_secret_value(SecretId=arn, VersionId=version).get("SecretString") or "{}"
            kids.add(str(json.loads(secret_string).get("kid")))
    return kids


def finish_secret(client: Any, arn: str, token: str) -> None:
    versions = client.describe_secret(SecretId=arn)["VersionIdsToStages"]
    current = next((v for v, stages in versions.items() if "AWSCURRENT" in stages), None)
    if current == token:
        logger.info("version already AWSCURRENT")
        return
    # Moving AWSCURRENT makes Secrets Manager label the old version AWSPREVIOUS (the verification grace key).
    move = {"RemoveFromVersionId": current} if current else {}  # the first key has no predecessor
    client.update_secret_version_stage(SecretId=arn, VersionStage="AWSCURRENT", MoveToVersionId=token, **move)
    logger.info("promoted new signing key")


def rotate(client: Any, event: RotationEvent, kvs: Any = None) -> None:
    metadata = client.describe_secret(SecretId=event.secret_id)
    versions = metadata.get("VersionIdsToStages", {})
    if event.token not in versions:
        raise RotationError("version has no stage for rotation")
    if "AWSCURRENT" in versions[event.token] and event.step != "finishSecret":
        logger.info("version already current; nothing to do", extra={"step": event.step})
        return
    if "AWSPENDING" not in versions[event.token] and "AWSCURRENT" not in versions[event.token]:
        raise RotationError("version is not AWSPENDING")
    if event.step == "createSecret":
        create_secret(client, event.secret_id, event.token)
    elif event.step == "setSecret":
        set_secret(client, event.secret_id, event.token, kvs, os.environ.get("KVS_ARN", ""))
    elif event.step == "testSecret":
        check_pending(client, event.secret_id, event.token)
    else:
        finish_secret(client, event.secret_id, event.token)


@logger.inject_lambda_context
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
def lambda_handler(event: dict[str, Any], context: Any) -> None:
    kvs = _client("cloudfront-keyvaluestore") if os.environ.get("KVS_ARN") else None
    rotate(_client(), RotationEvent.model_validate(event), kvs)

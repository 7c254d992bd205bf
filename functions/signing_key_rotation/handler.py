"""Rotation Lambda for the link-signing secret ({"kid": ..., "key": base64 of 32 random bytes}).

The four standard steps. Nothing outside the secret holds the key (the API reads it from Secrets Manager), so
setSecret and testSecret have nothing to do. After finishSecret the old version becomes AWSPREVIOUS, which the
API still accepts for verification: links signed before the rotation keep working for one rotation period.
"""
from __future__ import annotations

import base64
import functools
import json
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


@functools.cache
def _client() -> Any:
    import boto3

    return boto3.client("secretsmanager")


def new_key(token: str) -> str:
    # The kid is derived from the version id so it is unique per rotation and traceable to the version.
    return json.dumps({"kid": token.replace("-", "")[:16],
                       "key": base64.b64encode(secrets.token_bytes(32)).decode()})


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
    except (ValueError, KeyError, TypeError) as exc:
        raise RotationError(f"pending signing key is malformed: {exc}") from None


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


def rotate(client: Any, event: RotationEvent) -> None:
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
        logger.info("setSecret: no external system holds the key (the API reads the secret itself)")
    elif event.step == "testSecret":
        check_pending(client, event.secret_id, event.token)
    else:
        finish_secret(client, event.secret_id, event.token)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event: dict[str, Any], context: Any) -> None:
    rotate(_client(), RotationEvent.model_validate(event))

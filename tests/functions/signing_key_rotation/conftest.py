"""Secrets Manager rotation driven by moto, with moto's Lambda invoking the real handler in-process.

moto runs rotate_secret's four steps by invoking the rotation Lambda; without Docker it would only echo the
payload, so invoke is redirected to our handler (recipe from local-aws-testing.md section 1).
"""
from __future__ import annotations

import io
import json
import zipfile

import boto3
import pytest
from moto import mock_aws
from moto.awslambda_simple.models import LambdaSimpleBackend

from functions.signing_key_rotation import handler
from tools import preference_seed


@pytest.fixture
def aws(monkeypatch, lambda_context):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)

    def invoke_in_process(self, function_name, qualifier, body, headers, response_headers):
        try:
            handler.lambda_handler(json.loads(body), lambda_context)
        except Exception as exc:  # surfaced the way Lambda reports a function error
            response_headers["x-amz-function-error"] = "Unhandled"
            return json.dumps({"errorType": type(exc).__name__, "errorMessage": str(exc)}).encode()
        return b"null"

    monkeypatch.setattr(LambdaSimpleBackend, "invoke", invoke_in_process)
    handler._client.cache_clear()
    with mock_aws(config={"lambda": {"use_docker": False}}):
        yield
    handler._client.cache_clear()


@pytest.fixture
def rotation_lambda_arn(aws) -> str:
    role = boto3.client("iam").create_role(RoleName="rotation", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("signing_key_rotation/handler.py", "")
    return boto3.client("lambda").create_function(
        FunctionName="signing-key-rotation", Runtime="python3.13", Role=role,
        Handler="signing_key_rotation.handler.lambda_handler", Code={"ZipFile": archive.getvalue()},
        Architectures=["arm64"])["FunctionArn"]


@pytest.fixture
def secret_arn(aws) -> str:
    return preference_seed.create_signing_secret(boto3.client("secretsmanager"), kid="k1")

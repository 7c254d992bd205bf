"""The promote function's AWS, under moto (S3 and SageMaker), with the environment the component gives it."""
from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from promote_setup import BUCKET, PREFIX


@pytest.fixture
def s3(monkeypatch):
    for name, value in {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "t", "AWS_SECRET_ACCESS_KEY": "t",
                        "BUCKET": BUCKET, "POWERTOOLS_TRACE_DISABLED": "true", "MODEL_NAME_PREFIX": PREFIX,
                        "MODELS_RETAINED": "3"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET)
        yield client

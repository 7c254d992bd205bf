"""A trained model, its feature files and the batch-transform output it produces (the real inference code), in moto.

The transform CSV is written by training.churn.inference, the code SageMaker runs, from feature rows shaped by
the contract (tools.sample_customers.feature_rows); the feature files are gzip JSON lines as Athena UNLOAD writes.
"""
from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws
from postprocess_setup import BUCKET, SPEC, STREAM, TABLE

from contracts import profile_store as store
from tools.sample_customers import feature_rows


@pytest.fixture(scope="session")
def trained(tmp_path_factory):
    from training.churn.train import TrainingSettings, fit, save

    folder = tmp_path_factory.mktemp("churn-model")
    booster, encoder, evaluation, gate = fit(feature_rows(SPEC, 1200), SPEC, TrainingSettings(), "v-postprocess")
    save(booster, encoder, evaluation, gate, TrainingSettings(), folder / "model", folder / "out")
    meta = json.loads((folder / "model" / "meta.json").read_text())
    return folder / "model", {**meta, "sagemaker_model": "churn-v-postprocess"}


@pytest.fixture
def aws(monkeypatch):
    for name, value in {"AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "test",
                        "AWS_SECRET_ACCESS_KEY": "test", "BUCKET": BUCKET, "PROFILE_TABLE": TABLE,
                        "EVENTS_STREAM_NAME": STREAM, "CONTROL_FRACTION": "0.2", "CONTROL_SALT": "salt-1",
                        "LABEL_WINDOW_DAYS": "30", "POWERTOOLS_TRACE_DISABLED": "true",
                        "POWERTOOLS_METRICS_NAMESPACE": "Test"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.create_bucket(Bucket="firehose-sink")
        boto3.client("dynamodb").create_table(
            TableName=TABLE, BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": store.HASH_KEY, "KeyType": "HASH"},
                       {"AttributeName": store.RANGE_KEY, "KeyType": "RANGE"}],
            AttributeDefinitions=[{"AttributeName": store.HASH_KEY, "AttributeType": "S"},
                                  {"AttributeName": store.RANGE_KEY, "AttributeType": "S"}])
        boto3.client("firehose").create_delivery_stream(
            DeliveryStreamName=STREAM, ExtendedS3DestinationConfiguration={
                "RoleARN": "arn:aws:iam::123456789012:role/firehose", "BucketARN": "arn:aws:s3:::firehose-sink"})
        yield s3

"""The preference center's AWS side in moto, with the REAL API handler as the producer of every preferences
record and the real stream consumer reading the table's real stream (tools/preference_center_local.py, which
`make demo` runs too).

moto lacks End User Messaging SMS (pinpoint-sms-voice-v2): the functions share tools.sms_voice_fake, which
validates every request against botocore's model of the service.
"""
from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from functions.preference_api import settings as api_settings
from functions.preference_sync import settings
from tools import preference_center_local
from tools.preference_center_local import LocalPreferenceCenter
from tools.preference_seed import Names
from tools.sms_voice_fake import SmsVoiceFake

NAMES = Names()


@pytest.fixture(autouse=True)
def _fresh_caches():
    preference_center_local.reset_functions()
    yield
    preference_center_local.reset_functions()


@pytest.fixture
def stack(monkeypatch, lambda_context):
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    with mock_aws():
        arn = preference_center_local.seed(NAMES)
        for key, value in preference_center_local.environment(NAMES, arn).items():
            monkeypatch.setenv(key, value)
        sms = SmsVoiceFake()
        sms.add_list(NAMES.opt_out_list)
        settings.use_client("pinpoint-sms-voice-v2", sms)
        api_settings.use_client("pinpoint-sms-voice-v2", sms)
        yield LocalPreferenceCenter(boto3.client("dynamodb"), boto3.client("s3"), boto3.client("sesv2"), sms, arn,
                                    lambda_context, NAMES)

"""`python -m tools.preference_sms_replay`: replies the keyword function could not apply come back from its
dead-letter queue, in both shapes the queue holds, and nothing that still fails is deleted."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest

from functions.preference_api import store
from tools import preference_center_local, preference_sms_replay
from tools.sample_sms import sns_envelope

ENVELOPE = json.loads((Path(__file__).parents[1] / "fixtures" / "published_events" / "sns_firehose_envelope.json")
                      .read_text())
NUMBER = "+34600111222"


def sms_publications(local, user):
    record = store.get_preferences(local.dynamodb, local.names.preferences_table, "default", user)
    return sorted(p for p, channels in record["subscriptions"].items() if "SMS" in channels)


def test_both_kinds_of_dead_letter_are_applied_and_junk_is_kept(capsys):
    with preference_center_local.running() as local:
        user = local.optin({"EMAIL": "ana@example.com", "SMS": NUMBER}, {"weekly-specials": ["EMAIL", "SMS"]})
        local.confirm_everything()
        sqs = boto3.client("sqs")
        queue_url = sqs.create_queue(QueueName="sms-keywords-dlq")["QueueUrl"]
        now = datetime.now(UTC)
        # 1. Lambda gave up on an invocation: the queue holds SNS's Lambda event (a STOP)
        failed = preference_center_local.sns_lambda_event(
            sns_envelope(preference_center_local.two_way_message(NUMBER, "STOP"), int(now.timestamp() * 1000)))
        # 2. SNS could not deliver at all: the queue holds SNS's notification, as AWS publishes its shape (a START
        #    sent later)
        undelivered = {**ENVELOPE, "Message": json.dumps(preference_center_local.two_way_message(NUMBER, "START")),
                       "Timestamp": datetime.fromtimestamp(now.timestamp() + 5, UTC).isoformat(
                           timespec="milliseconds").replace("+00:00", "Z")}
        for body in (json.dumps(failed), json.dumps(undelivered), "not a message"):
            sqs.send_message(QueueUrl=queue_url, MessageBody=body)
        # When the queue is replayed (after the cause of the failures was fixed)
        assert preference_sms_replay.main(["--queue-url", queue_url]) == 1
        out = capsys.readouterr()
        assert "replayed 2 message(s): 1 applied_opted_in, 1 applied_opted_out" in out.out
        assert "kept" in out.err and "not JSON" in out.err
        # Then both replies were applied (the later START restored what the STOP turned off), only the junk stays
        assert sms_publications(local, user) == ["weekly-specials"]
        counts = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
        assert (counts["ApproximateNumberOfMessages"], counts["ApproximateNumberOfMessagesNotVisible"]) == ("0", "1")
        # A second replay of the same replies changes nothing (they are stale now)
        for body in (json.dumps(failed), json.dumps(undelivered)):
            sqs.send_message(QueueUrl=queue_url, MessageBody=body)
        preference_sms_replay.main(["--queue-url", queue_url])
        assert "2 stale" in capsys.readouterr().out
        assert sms_publications(local, user) == ["weekly-specials"]


def test_without_settings_or_queue_it_says_what_to_pass(capsys, monkeypatch):
    for name in ("PREFERENCES_TABLE", "PREFERENCE_CENTER_IDS"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit) as exit_info:
        preference_sms_replay.main([])
    assert exit_info.value.code == 2 and "pass --function" in capsys.readouterr().err

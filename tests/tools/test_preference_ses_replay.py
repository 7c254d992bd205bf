"""`python -m tools.preference_ses_replay`: SES Subscription events the function could not apply come back from its
dead-letter queue (moto SQS) through the function's own handler; whatever still fails, and junk, stays in the
queue and is named; a second replay changes nothing.

Both EventBridge (a target's dead-letter queue, after its retries) and Lambda (an asynchronous invocation's
dead-letter queue, after its retries) put the EventBridge event itself in the message body; the events here are
the ones tools.ses_subscription_page builds from AWS's published Subscription record.
"""
from __future__ import annotations

import json

import boto3
import pytest

from functions.preference_api import store
from tools import preference_center_local, preference_ses_replay

EMAIL = "ana@example.com"


def publications(local, user):
    record = store.get_preferences(local.dynamodb, local.names.preferences_table, "default", user)
    return sorted(p for p, channels in record["subscriptions"].items() if "EMAIL" in channels), \
        record["unsubscribed_all"]


def queue_counts(sqs, queue_url) -> tuple[str, str]:
    counts = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    return counts["ApproximateNumberOfMessages"], counts["ApproximateNumberOfMessagesNotVisible"]


def test_dead_lettered_events_are_applied_and_junk_is_kept(capsys):
    with preference_center_local.running() as local:
        user = local.optin({"EMAIL": EMAIL}, {"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL"]})
        local.confirm_everything()
        local.sync()
        sqs = boto3.client("sqs")
        queue_url = sqs.create_queue(QueueName="ses-subscriptions-dlq")["QueueUrl"]
        # Two opt-outs made on SES's page whose events never reached the function, and a message that is none
        events = [local.ses_page(EMAIL, deliver=False, opt_out=["runners-monthly"]),
                  local.ses_page(EMAIL, deliver=False, opt_out=["weekly-specials"])]
        for body in [*map(json.dumps, events), "not a message", json.dumps({"detail": {}})]:
            sqs.send_message(QueueUrl=queue_url, MessageBody=body)
        assert publications(local, user) == (["runners-monthly", "weekly-specials"], False)
        # When the queue is replayed
        assert preference_ses_replay.main(["--queue-url", queue_url]) == 1
        out = capsys.readouterr()
        # Then both opt-outs are in the record, the junk stays and is named
        assert "replayed 2 message(s): 2 applied" in out.out
        assert "not JSON" in out.err and "not an EventBridge event" in out.err
        assert publications(local, user) == ([], False)
        assert queue_counts(sqs, queue_url) == ("0", "2")
        # A replay of the same events again changes nothing
        for event in events:
            sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(event))
        assert preference_ses_replay.main(["--queue-url", queue_url]) == 0
        assert "replayed 2 message(s): 2 unchanged" in capsys.readouterr().out


def test_an_event_that_fails_again_is_kept_for_the_next_replay(capsys, monkeypatch):
    with preference_center_local.running() as local:
        user = local.optin({"EMAIL": EMAIL}, {"runners-monthly": ["EMAIL"]})
        local.confirm_everything()
        local.sync()
        sqs = boto3.client("sqs")
        queue_url = sqs.create_queue(QueueName="ses-subscriptions-dlq")["QueueUrl"]
        event = local.ses_page(EMAIL, deliver=False, unsubscribe_all=True)
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(event))

        def busy(*_args, **_kwargs):
            raise store.Busy("the preferences store stayed busy")

        # While the store is still failing, the replay keeps the message and says why
        with monkeypatch.context() as patched:
            patched.setattr(store, "transact", busy)
            assert preference_ses_replay.main(["--queue-url", queue_url]) == 1
        assert "Busy" in capsys.readouterr().err
        assert publications(local, user) == (["runners-monthly"], False)
        # The message stays in the queue (hidden for the replay's 60 s visibility timeout, then seen again)
        assert queue_counts(sqs, queue_url) == ("0", "1")
        # Once the store works, replaying the event (here: the same body sent again) applies it
        sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps(event))
        assert preference_ses_replay.main(["--queue-url", queue_url]) == 0
        assert "1 applied" in capsys.readouterr().out
        assert publications(local, user) == (["runners-monthly"], True)


def test_without_settings_or_queue_it_says_what_to_pass(capsys, monkeypatch):
    for name in ("PREFERENCES_TABLE", "CONTACT_LIST_NAME", "PREFERENCE_CENTER_IDS"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit) as exit_info:
        preference_ses_replay.main([])
    assert exit_info.value.code == 2 and "pass --function" in capsys.readouterr().err

"""Fault injection: throttling, a poisoned record, a crash mid-batch. After recovery (later changes, the DLQ
replay, a center reconcile) SES, the SMS opt-out list and the audience table equal what DynamoDB says."""
from __future__ import annotations

import random

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer

from functions.preference_sync import settings
from tools import preference_reconcile

from .conftest import NAMES
from .stream_mapping import EventSourceMapping

PUBLICATIONS = {"runners-monthly": ["EMAIL"], "shoe-collector": ["EMAIL", "SMS"],
                "weekly-specials": ["EMAIL", "SMS"], "new-arrivals": ["EMAIL", "SMS"]}


# --- what DynamoDB says, computed independently of the sync's own code -----------------------------------------

def records(stack) -> list[dict]:
    deserializer = TypeDeserializer()
    items = stack.dynamodb.scan(TableName=NAMES.preferences_table, ConsistentRead=True)["Items"]
    return [{k: deserializer.deserialize(v) for k, v in item.items()} for item in items]


def expected(stack) -> dict:
    contacts, opted_out, rows = {}, set(), {}
    for record in records(stack):
        subs = {} if record["unsubscribed_all"] else {p: c for p, c in record["subscriptions"].items() if c}
        email, phone = record["addresses"].get("EMAIL"), record["addresses"].get("SMS")
        if email:
            contacts[email] = ({p: "OPT_IN" if "EMAIL" in subs.get(p, []) else "OPT_OUT" for p in PUBLICATIONS},
                               bool(record["unsubscribed_all"]))
        if phone and not any("SMS" in c for c in subs.values()):
            opted_out.add(phone)
        for pub, channels in subs.items():
            for channel in channels:
                if record["addresses"].get(channel):
                    rows[(f"default#{pub}#{channel}", record["user_id"])] = record["addresses"][channel]
    return {"contacts": contacts, "opted_out": opted_out, "rows": rows}


def actual(stack) -> dict:
    contacts = {}
    for contact in stack.sesv2.list_contacts(ContactListName=NAMES.contact_list)["Contacts"]:
        full = stack.sesv2.get_contact(ContactListName=NAMES.contact_list, EmailAddress=contact["EmailAddress"])
        contacts[full["EmailAddress"]] = ({t["TopicName"]: t["SubscriptionStatus"] for t in full["TopicPreferences"]},
                                          full["UnsubscribeAll"])
    rows = {(i["audience"]["S"], i["user_id"]["S"]): i["address"]["S"]
            for i in stack.dynamodb.scan(TableName=NAMES.audience_table)["Items"]}
    return {"contacts": contacts, "opted_out": set(stack.sms.opted_out[NAMES.opt_out_list]), "rows": rows}


# --- a realistic workload through the real API -----------------------------------------------------------------

def users(stack, count: int, seed: int) -> list[str]:
    rng, ids = random.Random(seed), []
    for i in range(count):
        addresses = {"EMAIL": f"user{i}@example.com"}
        if i % 2 == 0:
            addresses["SMS"] = f"+3460000{i:04d}"
        subscriptions = {p: [c for c in channels if c in addresses and rng.random() < 0.6]
                         for p, channels in PUBLICATIONS.items()}
        status, _ = stack.api("POST", "/optin", body={"addresses": addresses, "attributes": {"first_name": f"U{i}"},
                                                      "subscriptions": {p: c for p, c in subscriptions.items() if c}})
        assert status == 202
    stack.confirm_everything()
    for item in stack.dynamodb.scan(TableName=NAMES.preferences_table)["Items"]:
        ids.append(item["user_id"]["S"])
    return sorted(ids)


def churn(stack, ids: list[str], seed: int) -> None:
    """Every user changes something: unsubscribes, re-subscribes, drops SMS, edits a name."""
    rng = random.Random(seed)
    for user in ids:
        current = stack.api("GET", "/preferences", token=stack.manage_token(user))[1]
        choice = rng.choice(["unsubscribe_all", "drop_sms", "resubscribe", "rename"])
        if choice == "unsubscribe_all":
            stack.save(user, subscriptions={}, unsubscribed_all=True)
        elif choice == "drop_sms":
            stack.save(user, subscriptions={p: [c for c in chs if c != "SMS"] for p, chs in
                                            current["subscriptions"].items() if [c for c in chs if c != "SMS"]})
        elif choice == "resubscribe":
            stack.save(user, unsubscribed_all=False, subscriptions={
                p: [c for c in chs if c in current["addresses"]] for p, chs in PUBLICATIONS.items()
                if [c for c in chs if c in current["addresses"]]})
        else:
            stack.save(user, attributes={"first_name": f"Renamed {rng.randint(1, 99)}"})


@pytest.fixture
def mapping(stack):
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="pc-sync-dlq")["QueueUrl"]
    return EventSourceMapping(stack, sqs, queue_url, batch_size=10, maximum_retry_attempts=2)


def throttled(error_code: str, times: int):
    """Wrap an SES client so its next `times` writes fail the way SES throttles (TooManyRequestsException)."""
    real = settings.client("sesv2")

    class Throttled:
        exceptions = real.exceptions
        left = times

        def __getattr__(self, name):
            method = getattr(real, name)
            if name not in ("create_contact", "update_contact"):
                return method

            def call(**kwargs):
                if Throttled.left > 0:
                    Throttled.left -= 1
                    raise real.exceptions.TooManyRequestsException(
                        {"Error": {"Code": error_code, "Message": "Rate exceeded"}}, name)
                return method(**kwargs)
            return call

    return Throttled()


def test_throttling_is_retried_until_everything_matches(stack, mapping):
    ids = users(stack, 12, seed=1)
    settings.use_client("sesv2", throttled("TooManyRequestsException", 6))
    mapping.drain()
    churn(stack, ids, seed=2)
    mapping.drain()
    assert mapping.discarded_batches == 0
    assert actual(stack) == expected(stack)


def test_a_dropped_sms_opt_out_is_repaired_by_a_later_unrelated_change(stack, mapping):
    [user] = users(stack, 1, seed=3)
    mapping.drain()
    number = stack.api("GET", "/preferences", token=stack.manage_token(user))[1]["addresses"]["SMS"]
    # The opt-out fails on every attempt, so the mapping gives the record up to the failure queue
    stack.sms.failures["PutOptedOutNumber"] = [stack.sms.error("ThrottlingException") for _ in range(3)]
    stack.save(user, subscriptions={}, unsubscribed_all=True)
    mapping.drain()
    assert mapping.discarded_batches == 1 and number not in actual(stack)["opted_out"]
    # When the user later changes only their name, that record reconciles the whole state
    stack.save(user, attributes={"first_name": "Later"})
    mapping.drain()
    assert number in actual(stack)["opted_out"]
    assert actual(stack) == expected(stack)


def test_a_poisoned_record_goes_to_the_queue_and_the_replay_command_heals_it(stack, mapping, capsys):
    ids = users(stack, 8, seed=4)
    mapping.drain()
    # A poisoned record: every sync of this user fails (here: SES refuses its address) until an operator fixes it
    victim = ids[0]
    email = stack.api("GET", "/preferences", token=stack.manage_token(victim))[1]["addresses"]["EMAIL"]
    real = settings.client("sesv2")

    class Poisoned:
        exceptions = real.exceptions

        def __getattr__(self, name):
            method = getattr(real, name)

            def call(**kwargs):
                if kwargs.get("EmailAddress") == email:
                    raise real.exceptions.BadRequestException({"Error": {"Code": "BadRequestException",
                                                                         "Message": "poisoned"}}, name)
                return method(**kwargs)
            return call

    settings.use_client("sesv2", Poisoned())
    stack.save(victim, subscriptions={}, unsubscribed_all=True)  # a change SES must see, and cannot take
    churn(stack, ids[1:], seed=5)
    mapping.drain()
    assert mapping.discarded_batches >= 1
    assert actual(stack) != expected(stack)
    # When the cause is fixed and the operator replays the failure queue
    settings.use_client("sesv2", real)
    assert preference_reconcile.main(["--dlq", "--queue-url", mapping.queue_url]) == 0
    assert "replayed" in capsys.readouterr().out
    assert boto3.client("sqs").receive_message(QueueUrl=mapping.queue_url).get("Messages", []) == []
    assert actual(stack) == expected(stack)


def test_a_crash_mid_batch_is_bisected_and_retried(stack, mapping):
    ids = users(stack, 10, seed=6)
    real = settings.client("dynamodb")

    class CrashOnce:
        """The function dies (timeout, out of memory) half-way through its first batch, once."""
        exceptions = real.exceptions
        writes = 0

        def __getattr__(self, name):
            method = getattr(real, name)
            if name != "put_item":
                return method

            def call(**kwargs):
                CrashOnce.writes += 1
                if CrashOnce.writes == 5:
                    raise SystemExit("Lambda runtime: task timed out")
                return method(**kwargs)
            return call

    settings.use_client("dynamodb", CrashOnce())
    with pytest.raises(SystemExit):
        mapping.drain()  # the crash is not a record failure: it ends the invocation
    settings.use_client("dynamodb", real)
    # Lambda delivers the same batch again (from the mapping's checkpoint); replaying the stream from the start
    # models that, and the rest of the stream follows.
    stack.stream.__init__(stack.dynamodb)
    mapping.drain()
    churn(stack, ids, seed=7)
    mapping.drain()
    assert actual(stack) == expected(stack)


def test_the_center_reconcile_removes_what_no_record_explains(stack, mapping, capsys):
    ids = users(stack, 6, seed=8)
    mapping.drain()
    # Drift from outside: a stray audience row, a contact nobody owns, a deleted topic preference
    stack.dynamodb.put_item(TableName=NAMES.audience_table, Item={
        "audience": {"S": "default#retired-publication#EMAIL"}, "user_id": {"S": ids[0]},
        "address": {"S": "x@example.com"}})
    stack.sesv2.create_contact(ContactListName=NAMES.contact_list, EmailAddress="stranger@example.com")
    stack.sesv2.update_contact(ContactListName=NAMES.contact_list, EmailAddress="user1@example.com",
                               TopicPreferences=[{"TopicName": "runners-monthly", "SubscriptionStatus": "OPT_IN"},
                                                 {"TopicName": "new-arrivals", "SubscriptionStatus": "OPT_IN"}])
    assert actual(stack) != expected(stack)
    assert preference_reconcile.main(["--center", "default"]) == 0
    assert "6 users" in capsys.readouterr().out
    assert actual(stack) == expected(stack)

"""Stream consumer fed by the real API: confirmed addresses only, opt-outs never undone, state reconciled."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from functions.preference_sync.handler import lambda_handler

from .conftest import NAMES

ANA = {"EMAIL": "ana@example.com", "SMS": "+34600111222"}


def topics(stack, email="ana@example.com"):
    contact = stack.sesv2.get_contact(ContactListName=NAMES.contact_list, EmailAddress=email)
    return {t["TopicName"]: t["SubscriptionStatus"] for t in contact["TopicPreferences"]}, contact["UnsubscribeAll"]


def contacts(stack):
    return sorted(c["EmailAddress"] for c in stack.sesv2.list_contacts(ContactListName=NAMES.contact_list)["Contacts"])


def audience(stack):
    items = stack.dynamodb.scan(TableName=NAMES.audience_table)["Items"]
    return {(i["audience"]["S"], i["user_id"]["S"]): i["address"]["S"] for i in items}


def opted_out(stack):
    return set(stack.sms.opted_out[NAMES.opt_out_list])


def run(stack):
    return lambda_handler(stack.stream.event(), stack.context)


def optin(stack, addresses=ANA, subscriptions=None):
    status, _ = stack.api("POST", "/optin", body={
        "addresses": addresses, "attributes": {"first_name": "Ana"},
        "subscriptions": subscriptions or {"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL", "SMS"]}})
    assert status == 202
    [item] = [i for i in stack.dynamodb.scan(TableName=NAMES.preferences_table)["Items"]
              if i["pending"]["M"].get("EMAIL", {}).get("S") == addresses["EMAIL"]]
    return item["user_id"]["S"]


def test_an_unconfirmed_optin_reaches_nothing_and_confirmation_reaches_everything(stack):
    # Given an opt-in nobody confirmed yet
    user = optin(stack)
    assert run(stack) == {"batchItemFailures": []}
    # Then SES, the opt-out list and the audience table know nothing of it
    assert contacts(stack) == [] and audience(stack) == {} and opted_out(stack) == set()
    # When the owners confirm both addresses
    stack.confirm_everything()
    assert run(stack) == {"batchItemFailures": []}
    # Then topics, audience rows and SMS reflect exactly the choices
    statuses, unsubscribe_all = topics(stack)
    assert statuses == {"runners-monthly": "OPT_IN", "weekly-specials": "OPT_IN",
                        "shoe-collector": "OPT_OUT", "new-arrivals": "OPT_OUT"}
    assert unsubscribe_all is False
    assert audience(stack) == {("default#runners-monthly#EMAIL", user): "ana@example.com",
                               ("default#weekly-specials#EMAIL", user): "ana@example.com",
                               ("default#weekly-specials#SMS", user): "+34600111222"}
    assert opted_out(stack) == set()
    # (its events, one per channel with the address, are in test_preference_events.py)


def test_unsubscribe_all_opts_out_everywhere(stack):
    user = optin(stack)
    stack.confirm_everything()
    stack.save(user, subscriptions={}, unsubscribed_all=True)
    assert run(stack) == {"batchItemFailures": []}
    statuses, unsubscribe_all = topics(stack)
    assert unsubscribe_all is True and set(statuses.values()) == {"OPT_OUT"}
    assert audience(stack) == {} and opted_out(stack) == {ANA["SMS"]}


def test_a_stop_texted_by_the_owner_is_not_undone_by_later_edits(stack):
    user = optin(stack)
    stack.confirm_everything()
    run(stack)
    # When the owner texts STOP (End User Messaging records it), then edits something unrelated on the page
    stack.sms.end_user_stop(NAMES.opt_out_list, ANA["SMS"])
    stack.save(user, attributes={"first_name": "Ana Maria"})
    assert run(stack) == {"batchItemFailures": []}
    # Then the number stays opted out, although the record still lists an SMS subscription
    assert opted_out(stack) == {ANA["SMS"]}
    # Only a confirmed opt-in of that number, newer than the STOP, lifts it
    stack.save(user, subscriptions={"runners-monthly": ["EMAIL"]})
    stack.save(user, subscriptions={"runners-monthly": ["EMAIL"], "weekly-specials": ["SMS"]})
    run(stack)
    assert opted_out(stack) == set()


def test_an_opt_out_made_before_the_last_confirmation_is_kept_until_a_newer_one(stack):
    user = optin(stack)
    stack.confirm_everything()
    stack.sms.end_user_stop(NAMES.opt_out_list, ANA["SMS"], at=datetime.now(UTC) + timedelta(seconds=5))
    run(stack)
    assert opted_out(stack) == {ANA["SMS"]}
    assert stack.api("GET", "/preferences", token=stack.manage_token(user))[1]["subscriptions"][
        "weekly-specials"] == ["EMAIL", "SMS"]


def test_unsubscribe_all_made_in_ses_is_not_flipped_back_by_an_unrelated_edit(stack):
    user = optin(stack)
    stack.confirm_everything()
    run(stack)
    # The recipient used SES's own unsubscribe page: SES set UnsubscribeAll on the contact
    stack.sesv2.update_contact(ContactListName=NAMES.contact_list, EmailAddress=ANA["EMAIL"], UnsubscribeAll=True)
    stack.save(user, attributes={"first_name": "Ana Maria"})
    run(stack)
    assert topics(stack)[1] is True
    # Lifting it takes a confirmed action of the address: unsubscribe-all off again asks it to confirm
    stack.save(user, unsubscribed_all=True, subscriptions={})
    stack.save(user, unsubscribed_all=False, subscriptions={"runners-monthly": ["EMAIL"]})
    run(stack)
    assert topics(stack) == ({"runners-monthly": "OPT_IN", "weekly-specials": "OPT_OUT",
                              "shoe-collector": "OPT_OUT", "new-arrivals": "OPT_OUT"}, False)


def test_an_address_change_moves_the_contact_and_the_rows_once_confirmed(stack):
    user = optin(stack, {"EMAIL": "old@example.com"}, {"new-arrivals": ["EMAIL"]})
    stack.confirm_everything()
    run(stack)
    stack.save(user, addresses={"EMAIL": "new@example.com"})
    run(stack)
    assert contacts(stack) == ["new@example.com"]
    assert audience(stack) == {("default#new-arrivals#EMAIL", user): "new@example.com"}


def test_a_detached_record_loses_its_contact_rows_to_the_new_owner(stack):
    old = optin(stack, {"EMAIL": "shared@example.com"}, {"runners-monthly": ["EMAIL"]})
    stack.confirm_everything()
    run(stack)
    new = optin(stack, {"EMAIL": "shared@example.com"}, {"new-arrivals": ["EMAIL"]})
    stack.confirm_everything()
    run(stack)
    assert contacts(stack) == ["shared@example.com"]
    assert topics(stack, "shared@example.com")[0]["new-arrivals"] == "OPT_IN"
    assert topics(stack, "shared@example.com")[0]["runners-monthly"] == "OPT_OUT"
    assert audience(stack) == {("default#new-arrivals#EMAIL", new): "shared@example.com"}
    assert old != new


def test_replaying_an_old_batch_after_newer_changes_rolls_nothing_back(stack):
    user = optin(stack, {"EMAIL": "ana@example.com"}, {"runners-monthly": ["EMAIL"]})
    stack.confirm_everything()
    first = stack.stream.event()
    lambda_handler(first, stack.context)
    stack.save(user, subscriptions={}, unsubscribed_all=True)
    run(stack)
    after = (topics(stack), audience(stack))
    # When the first batch is delivered again (a retry)
    assert lambda_handler(first, stack.context) == {"batchItemFailures": []}
    # Then the current state stands: the sync reads the record, not the replayed image
    assert (topics(stack), audience(stack)) == after


def test_failed_record_is_reported_for_retry_and_others_succeed(stack):
    optin(stack, {"EMAIL": "ana@example.com"}, {"runners-monthly": ["EMAIL"]})
    stack.confirm_everything()
    event = stack.stream.event()
    broken = json.loads(json.dumps(event["Records"][-1]))
    broken["dynamodb"]["Keys"]["preference_center_id"] = {"S": "gone"}
    broken["dynamodb"]["SequenceNumber"] = "999999"
    event["Records"].append(broken)
    result = lambda_handler(event, stack.context)
    assert result == {"batchItemFailures": [{"itemIdentifier": "999999"}]}
    assert topics(stack)[0]["runners-monthly"] == "OPT_IN"


def test_firehose_failure_fails_the_record_so_the_event_is_not_lost(stack, monkeypatch):
    monkeypatch.setenv("EVENTS_STREAM_NAME", "no-such-stream")
    from functions.preference_sync import settings

    settings.settings.cache_clear()
    optin(stack, {"EMAIL": "ana@example.com"}, {"runners-monthly": ["EMAIL"]})
    with pytest.raises(BatchProcessingError):
        run(stack)

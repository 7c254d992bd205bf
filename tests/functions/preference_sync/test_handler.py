"""Stream consumer against moto: contact-list topics, SMS opt-out list, audience rows, events, partial failures."""
from __future__ import annotations

import json

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from functions.preference_sync.handler import lambda_handler
from tools import preference_seed

from .conftest import NAMES, sms_response, write

EMAIL_TOPICS = ["runners-monthly", "shoe-collector", "weekly-specials", "new-arrivals"]
ANA = {"EMAIL": "ana@example.com", "SMS": "+34600111222"}


def topics(stack, email="ana@example.com"):
    contact = stack["sesv2"].get_contact(ContactListName=NAMES.contact_list, EmailAddress=email)
    return {t["TopicName"]: t["SubscriptionStatus"] for t in contact["TopicPreferences"]}, contact["UnsubscribeAll"]


def audience(stack):
    items = stack["dynamodb"].scan(TableName=NAMES.audience_table)["Items"]
    return {(i["audience"]["S"], i["user_id"]["S"]): i["address"]["S"] for i in items}


def run(stack, lambda_context):
    return lambda_handler(stack["stream"].event(), lambda_context)


def test_new_subscriber_gets_contact_topics_audience_rows_and_sms_opt_in(stack, sms, lambda_context):
    # Given a user who opts in to one email publication and one email+SMS publication
    write(stack["dynamodb"], "u-1", 0, addresses=ANA, source="optin",
          subscriptions={"runners-monthly": ["EMAIL"], "weekly-specials": ["EMAIL", "SMS"]})
    sms.add_client_error("delete_opted_out_number", "ResourceNotFoundException",
                         expected_params={"OptOutListName": NAMES.opt_out_list, "OptedOutNumber": ANA["SMS"]})
    # When the stream record is processed
    result = run(stack, lambda_context)
    # Then SES topics, audience rows and an optin event reflect exactly those choices
    assert result == {"batchItemFailures": []}
    statuses, unsubscribe_all = topics(stack)
    assert statuses == {"runners-monthly": "OPT_IN", "weekly-specials": "OPT_IN",
                        "shoe-collector": "OPT_OUT", "new-arrivals": "OPT_OUT"}
    assert unsubscribe_all is False
    assert audience(stack) == {("default#runners-monthly#EMAIL", "u-1"): "ana@example.com",
                               ("default#weekly-specials#EMAIL", "u-1"): "ana@example.com",
                               ("default#weekly-specials#SMS", "u-1"): "+34600111222"}
    [event] = preference_seed.read_events(stack["s3"])
    assert event["event_type"] == "preference_center.optin"
    assert event["attributes"]["subscriptions"] == "runners-monthly:EMAIL,weekly-specials:EMAIL+SMS"
    assert "ana@example.com" not in json.dumps(event) and "+34600111222" not in json.dumps(event)


def test_unsubscribe_all_opts_out_everywhere(stack, sms, lambda_context):
    write(stack["dynamodb"], "u-1", 0, addresses=ANA, subscriptions={"weekly-specials": ["EMAIL", "SMS"]})
    write(stack["dynamodb"], "u-1", 1, subscriptions={}, unsubscribed_all=True)
    sms.add_client_error("delete_opted_out_number", "ResourceNotFoundException")
    sms.add_response("put_opted_out_number", sms_response(ANA["SMS"]),
                     {"OptOutListName": NAMES.opt_out_list, "OptedOutNumber": ANA["SMS"]})
    assert run(stack, lambda_context) == {"batchItemFailures": []}
    statuses, unsubscribe_all = topics(stack)
    assert unsubscribe_all is True and set(statuses.values()) == {"OPT_OUT"}
    assert audience(stack) == {}
    # Firehose writes one S3 object per put; their listing order is not the emission order.
    assert sorted(e["event_type"] for e in preference_seed.read_events(stack["s3"])) == [
        "preference_center.unsubscribe", "preference_center.update"]


def test_email_change_moves_the_contact_and_audience_rows(stack, sms, lambda_context):
    write(stack["dynamodb"], "u-1", 0, addresses={"EMAIL": "old@example.com"},
          subscriptions={"new-arrivals": ["EMAIL"]})
    write(stack["dynamodb"], "u-1", 1, addresses={"EMAIL": "new@example.com"})
    assert run(stack, lambda_context) == {"batchItemFailures": []}
    contacts = stack["sesv2"].list_contacts(ContactListName=NAMES.contact_list)["Contacts"]
    assert [c["EmailAddress"] for c in contacts] == ["new@example.com"]
    assert audience(stack) == {("default#new-arrivals#EMAIL", "u-1"): "new@example.com"}


def test_unrelated_edit_does_not_touch_the_sms_opt_out_list(stack, sms, lambda_context):
    write(stack["dynamodb"], "u-1", 0, addresses=ANA, subscriptions={"weekly-specials": ["SMS"]})
    sms.add_client_error("delete_opted_out_number", "ResourceNotFoundException")
    run(stack, lambda_context)
    # When only the first name changes, no SMS call is expected (the Stubber fails on any unexpected call)
    write(stack["dynamodb"], "u-1", 1, attributes={"first_name": "Ana"})
    assert run(stack, lambda_context) == {"batchItemFailures": []}


def test_replaying_a_batch_gives_the_same_state(stack, sms, lambda_context):
    write(stack["dynamodb"], "u-1", 0, addresses={"EMAIL": "ana@example.com"},
          subscriptions={"runners-monthly": ["EMAIL"]})
    event = stack["stream"].event()
    lambda_handler(event, lambda_context)
    first = (topics(stack), audience(stack))
    assert lambda_handler(event, lambda_context) == {"batchItemFailures": []}
    assert (topics(stack), audience(stack)) == first


def test_failed_record_is_reported_for_retry_and_others_succeed(stack, sms, lambda_context):
    # Given two changes, the second for a center whose configuration was removed
    write(stack["dynamodb"], "u-1", 0, addresses={"EMAIL": "ana@example.com"},
          subscriptions={"runners-monthly": ["EMAIL"]})
    event = stack["stream"].event()
    broken = json.loads(json.dumps(event["Records"][0]))
    broken["dynamodb"]["Keys"]["preference_center_id"] = {"S": "gone"}
    broken["dynamodb"]["SequenceNumber"] = "999999"
    event["Records"].append(broken)
    # When the batch runs
    result = lambda_handler(event, lambda_context)
    # Then only the broken record is returned for retry, and the good one was applied
    assert result == {"batchItemFailures": [{"itemIdentifier": "999999"}]}
    assert topics(stack)[0]["runners-monthly"] == "OPT_IN"


def test_firehose_failure_fails_the_record_so_the_event_is_not_lost(stack, sms, lambda_context, monkeypatch):
    monkeypatch.setenv("EVENTS_STREAM_NAME", "no-such-stream")
    write(stack["dynamodb"], "u-1", 0, addresses={"EMAIL": "ana@example.com"})
    # A batch where every record failed fails the invocation, so Lambda retries the whole batch.
    with pytest.raises(BatchProcessingError):
        run(stack, lambda_context)


@pytest.mark.parametrize(("old", "new", "expected"), [
    (None, {"subscriptions": {}, "last_source": "optin"}, "optin"),
    ({"subscriptions": {"a": ["EMAIL"]}}, {"subscriptions": {"a": ["EMAIL", "SMS"]}}, "update"),
    ({"subscriptions": {"a": ["EMAIL", "SMS"]}}, {"subscriptions": {"a": ["SMS"]}}, "unsubscribe"),
    ({"subscriptions": {"a": ["EMAIL"]}}, None, None),
])
def test_event_type_classification(old, new, expected):
    from functions.preference_sync.sync import Change, event_type

    name = "INSERT" if old is None else ("REMOVE" if new is None else "MODIFY")
    assert event_type(Change(name, "u-1", "default", old, new)) == expected

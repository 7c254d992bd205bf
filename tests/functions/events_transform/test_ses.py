"""SES v2 event publishing records (the AWS docs' examples, beside this file) -> canonical records."""
from __future__ import annotations

import json

import pytest
from transform_helpers import load_event

MESSAGE_ID = "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000"

# file -> (event_type, status, event_timestamp ms, channel_data subset)
CASES = {
    "ses_send.json": ("send", "sent", 1501893602012, {"subject": "Message sent from Amazon SES"}),
    "ses_delivery.json": ("delivery", "delivered", 1476919264133,
                          {"smtp_response": "250 2.6.0 Message received", "reporting_mta": "mta.example.com"}),
    "ses_bounce.json": ("bounce", "permanent", 1501893662669,
                        {"bounce_type": "Permanent", "bounce_sub_type": "General", "reporting_mta": "dsn; mta.example.com"}),
    "ses_complaint.json": ("complaint", "abuse", 1501893662669, {"feedback_type": "abuse"}),
    "ses_reject.json": ("reject", "rejected", 1501893602012, {"reject_reason": "Bad content"}),
    "ses_open.json": ("open", "opened", 1502316019652, {"ip_address": "192.0.2.1"}),
    "ses_click.json": ("click", "clicked", 1502322685570,
                       {"link": "http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html"}),
    "ses_rendering_failure.json": ("rendering_failure", "failed", 1501893602012, {"template_name": "MyTemplate"}),
    "ses_delivery_delay.json": ("delivery_delay", "transientcommunicationfailure", 1592266540641,
                                {"delay_type": "TransientCommunicationFailure"}),
    "ses_subscription.json": ("subscription", "unsubscribed", 1641949217910,
                              {"contact_list": "ContactListName", "unsubscribe_all": "true"}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_documented_ses_event_type_is_normalised(transform, name):
    # Given the documented example of one SES event type
    event = load_event(name)
    event_type, status, when, data = CASES[name]

    # When transformed
    out, rec = transform(event)

    # Then type, outcome, time, mail fields and type-specific data are in the canonical columns
    assert (rec["event_source"], rec["event_type"], rec["status"]) == ("ses", event_type, status)
    assert rec["event_timestamp"] == when
    assert rec["message_id"] == MESSAGE_ID
    assert rec["account_id"] == "123456789012"
    assert rec["sending_address"] == "Sender Name <sender@example.com>"
    assert rec["destination_addresses"] == ["recipient@example.com"]
    assert rec["configuration_set"] == "ConfigSet"
    assert data.items() <= rec["channel_data"].items()
    assert json.loads(rec["raw_event"]) == event
    assert out["metadata"]["partitionKeys"]["channel"] == "email"


def test_bounce_keeps_every_recipient_detail(transform):
    # Given a bounce with two recipients
    event = load_event("ses_bounce.json")
    event["bounce"]["bouncedRecipients"].append(
        {"emailAddress": "other@example.com", "action": "failed", "status": "5.1.2", "diagnosticCode": "smtp; 550 host"})

    # When transformed
    _, rec = transform(event)

    # Then both recipients keep address, status, action and diagnostic code, in order
    assert rec["recipients"] == [
        {"address": "recipient@example.com", "status": "5.1.1", "action": "failed",
         "diagnostic_code": "smtp; 550 5.1.1 user unknown"},
        {"address": "other@example.com", "status": "5.1.2", "action": "failed", "diagnostic_code": "smtp; 550 host"}]
    assert (rec["status_code"], rec["status_message"]) == ("5.1.1", "smtp; 550 5.1.1 user unknown")


def test_tags_with_several_values_are_joined_and_campaign_and_user_are_lifted(transform):
    # Given SES tags as SES sends them: a map of arrays, one tag with two values
    event = load_event("ses_send.json")
    event["mail"]["tags"].update({"campaign": ["spring"], "user_id": ["u-7"], "segment": ["a", "b"]})

    # When transformed
    _, rec = transform(event)

    # Then the tags map stays lossless and campaign/user get their own columns
    assert rec["tags"]["segment"] == "a,b"
    assert rec["tags"]["myCustomTag1"] == "myCustomTagValue1"
    assert (rec["campaign_id"], rec["user_id"]) == ("spring", "u-7")


def test_click_on_an_unsubscribe_tagged_link_is_marked(transform):
    # Given a click whose link carries the unsubscribeLinkTag link tag
    event = load_event("ses_click.json")
    event["click"]["linkTags"] = {"unsubscribeLinkTag": ["footer"]}

    # When transformed
    _, rec = transform(event)

    # Then it is flagged so email_unsubscribe picks it up; an ordinary click is not
    assert rec["channel_data"]["unsubscribe_link"] == "true"
    _, plain = transform(load_event("ses_click.json"))
    assert "unsubscribe_link" not in plain["channel_data"]


def test_sns_style_notification_type_is_accepted(transform):
    # Given identity feedback, which spells the type notificationType
    event = load_event("ses_bounce.json")
    event["notificationType"] = event.pop("eventType")

    # When transformed
    _, rec = transform(event)

    # Then it is the same bounce
    assert (rec["event_type"], rec["status"]) == ("bounce", "permanent")
    assert rec["channel_data"]["feedback_source"] == "notification"


def test_delivery_processing_time_is_a_metric(transform):
    _, rec = transform(load_event("ses_delivery.json"))
    assert rec["metrics"] == {"processing_time_millis": 11893.0}
    assert rec["recipients"][0]["address"] == "recipient@example.com"

"""SES v2 event publishing records -> canonical records, with the examples AWS publishes (see sources.json)."""
from __future__ import annotations

import pytest
from transform_helpers import load_event

MESSAGE_ID = "EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000"
SENT_MS = 1501893602012  # mail.timestamp of every published example: 2017-08-05T00:40:02.012Z

# file -> (event_type, status, event_timestamp ms, channel_data subset)
CASES = {
    "ses_send.json": ("send", "sent", SENT_MS, {"subject": "Message sent from Amazon SES"}),
    "ses_delivery.json": ("delivery", "delivered", 1476919264133,
                          {"smtp_response": "250 2.6.0 Message received", "reporting_mta": "mta.example.com"}),
    "ses_bounce.json": ("bounce", "permanent", 1501893662669,
                        {"bounce_type": "Permanent", "bounce_sub_type": "General", "reporting_mta": "dsn; mta.example.com"}),
    "ses_complaint.json": ("complaint", "complaint", 1501893662669, {"feedback_type": "abuse"}),
    "ses_reject.json": ("reject", "rejected", SENT_MS, {"reject_reason": "Bad content"}),
    "ses_open.json": ("open", "opened", 1502316019652, {"ip_address": "192.0.2.1"}),
    "ses_click.json": ("click", "clicked", 1502322685570,
                       {"link": "http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html"}),
    "ses_rendering_failure.json": ("rendering_failure", "failed", SENT_MS, {"template_name": "MyTemplate"}),
    "ses_delivery_delay.json": ("delivery_delay", "delayed", 1592266540641,
                                {"delay_type": "TransientCommunicationFailure"}),
    "ses_subscription.json": ("subscription", "unsubscribed", 1641949217910,
                              {"contact_list": "ContactListName", "unsubscribe_all": "true"}),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_published_ses_event_type_is_normalised(transform, name):
    # Given AWS's published example of one SES event type
    event_type, status, when, data = CASES[name]

    # When transformed
    out, rec = transform(load_event(name))

    # Then type, outcome, time, mail fields and type-specific data are in the canonical columns
    assert (rec["event_source"], rec["event_type"], rec["status"]) == ("ses", event_type, status)
    assert rec["event_timestamp"] == when
    assert rec["send_timestamp"] == SENT_MS  # mail.timestamp, typed, for every event type (defect 5)
    assert rec["message_id"] == MESSAGE_ID and rec["account_id"] == "123456789012"
    assert rec["sending_address"] == "Sender Name <sender@example.com>"
    assert rec["destination_addresses"] == ["recipient@example.com"]
    assert rec["configuration_set"] == "ConfigSet"
    assert data.items() <= rec["channel_data"].items()
    assert rec["raw_event"] is None, "the raw record stays in Firehose's raw/ backup unless kept on purpose"
    assert out["metadata"]["partitionKeys"] == {"channel": "email", "kind": event_type,
                                                "dt": out["metadata"]["partitionKeys"]["dt"]}


def test_open_and_click_keep_when_the_mail_was_sent(transform):
    # Defect 5: mail.timestamp (the send time) was dropped for opens and clicks
    for name in ("ses_open.json", "ses_click.json"):
        _, rec = transform(load_event(name))
        assert rec["send_timestamp"] == SENT_MS < rec["event_timestamp"]


def test_complaint_feedback_type_is_not_a_recipient_status(transform):
    # Defect 5: complaintFeedbackType landed in each recipient's `status`
    _, rec = transform(load_event("ses_complaint.json"))
    assert rec["recipients"] == [{"address": "recipient@example.com", "status": None, "action": None,
                                  "diagnostic_code": None}]
    assert rec["channel_data"]["feedback_type"] == "abuse"
    assert rec["channel_data"]["arrival_date"] == "2017-08-05T00:41:02.669Z"


def test_delivery_delay_keeps_the_delay_type_verbatim_and_types_the_expiration(transform):
    # Defect 5: the delay type was lower-cased into `status`, and expirationTime stayed an ISO string
    _, rec = transform(load_event("ses_delivery_delay.json"))
    assert rec["status"] == "delayed"
    assert rec["channel_data"]["delay_type"] == "TransientCommunicationFailure"
    assert rec["expiration_timestamp"] == 1592267140914  # 2020-06-16T00:25:40.914Z
    assert "expiration_time" not in rec["channel_data"]
    assert rec["recipients"][0] == {"address": "recipient@example.com", "status": "4.4.1", "action": None,
                                    "diagnostic_code": "smtp; 421 4.4.1 Unable to connect to remote host"}


def test_bounce_keeps_every_recipient_detail(transform):
    event = load_event("ses_bounce.json")
    event["bounce"]["bouncedRecipients"].append(
        {"emailAddress": "other@example.com", "action": "failed", "status": "5.1.2", "diagnosticCode": "smtp; 550 host"})
    _, rec = transform(event)
    assert rec["recipients"] == [
        {"address": "recipient@example.com", "status": "5.1.1", "action": "failed",
         "diagnostic_code": "smtp; 550 5.1.1 user unknown"},
        {"address": "other@example.com", "status": "5.1.2", "action": "failed", "diagnostic_code": "smtp; 550 host"}]
    assert (rec["status_code"], rec["status_message"]) == ("5.1.1", "smtp; 550 5.1.1 user unknown")


def test_nested_ses_objects_follow_the_same_rule_as_every_source(transform):
    # Objects and arrays go to channel_data as compact JSON, booleans as true/false
    _, click = transform(load_event("ses_click.json"))
    assert click["channel_data"]["link_tags"] == '{"samplekey0":["samplevalue0"],"samplekey1":["samplevalue1"]}'
    _, subscription = transform(load_event("ses_subscription.json"))
    assert subscription["channel_data"]["topics"] == \
        '[{"topicName":"ExampleTopicName","subscriptionStatus":"OptOut"}]'
    assert subscription["channel_data"]["headers_truncated"] == "false"


def test_tags_with_several_values_are_joined_and_campaign_and_user_are_lifted(transform):
    event = load_event("ses_send.json")
    event["mail"]["tags"].update({"campaign": ["spring"], "user_id": ["u-7"], "segment": ["a", "b"]})
    _, rec = transform(event)
    assert rec["tags"]["segment"] == "a,b"
    assert rec["tags"]["myCustomTag1"] == "myCustomTagValue1"
    assert (rec["campaign_id"], rec["user_id"]) == ("spring", "u-7")


def test_click_on_an_unsubscribe_tagged_link_is_marked(transform):
    event = load_event("ses_click.json")
    event["click"]["linkTags"] = {"unsubscribeLinkTag": ["footer"]}
    _, rec = transform(event)
    assert rec["channel_data"]["unsubscribe_link"] == "true"
    _, plain = transform(load_event("ses_click.json"))
    assert "unsubscribe_link" not in plain["channel_data"]


def test_sns_style_notification_type_is_accepted(transform):
    event = load_event("ses_bounce.json")
    event["notificationType"] = event.pop("eventType")
    _, rec = transform(event)
    assert (rec["event_type"], rec["status"]) == ("bounce", "permanent")
    assert rec["channel_data"]["feedback_source"] == "notification"


def test_delivery_processing_time_is_a_metric(transform):
    _, rec = transform(load_event("ses_delivery.json"))
    assert rec["metrics"] == {"processing_time_millis": 11893.0}
    assert rec["recipients"][0]["address"] == "recipient@example.com"

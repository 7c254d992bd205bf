"""Source events whose view results are known exactly (see test_event_views.py).

Hand-written on purpose: exact expected rows need controlled ids, times and counts, which AWS's published
examples (one record each, tests/fixtures/published_events) cannot give. The shapes follow those examples field
for field; the preference-center events come from the contract's own builders, as the preference center emits
them; two-way replies are wrapped in SNS's envelope as the SNS -> Firehose subscription delivers them.
"""
from __future__ import annotations

import json

from contracts.events import preference_change_events

DAY = "2026-02-01T"
SMS_DAY_MS = 1_769_940_000_000  # 2026-02-01T10:00:00Z


def ses(event_type: str, message_id: str, to: list[str], at: str, campaign: str | None = None, **detail) -> dict:
    tags = {"ses:configuration-set": ["engagement"]} | ({"campaign_id": [campaign]} if campaign else {})
    mail = {"timestamp": DAY + at, "source": "news@example.com", "sendingAccountId": "123456789012",
            "messageId": message_id, "destination": to, "commonHeaders": {"subject": f"subject {message_id}"},
            "tags": tags}
    return {"eventType": event_type, "mail": mail, **detail}


def bounce(kind: str, to: list[str]) -> dict:
    return {"bounce": {"bounceType": kind, "bounceSubType": "General", "timestamp": DAY + "10:05:00.000Z",
                       "bouncedRecipients": [{"emailAddress": a, "action": "failed", "status": "5.1.1",
                                              "diagnosticCode": f"smtp; 550 {a} unknown"} for a in to]}}


def sms(event_type: str, message_id: str, country: str, price: float, parts: int, status: str, at_ms: int,
        final: bool) -> dict:
    return {"eventType": event_type, "eventVersion": "1.0", "eventTimestamp": SMS_DAY_MS + at_ms, "isFinal": final,
            "originationPhoneNumber": "+12065550152", "destinationPhoneNumber": f"+{message_id}",
            "isoCountryCode": country, "messageId": message_id, "messageRequestTimestamp": SMS_DAY_MS,
            "messageType": "TRANSACTIONAL", "messageStatus": status, "messageStatusDescription": status.lower(),
            "context": {"campaign_id": "c-sms"}, "totalMessageParts": parts, "totalMessagePrice": price,
            "totalCarrierFee": 0.0}


def reply(customer: str, body: str, inbound_id: str, at: str) -> dict:
    payload = {"originationNumber": customer, "destinationNumber": "+12065550152", "messageKeyword": "KEYWORD",
               "messageBody": body, "inboundMessageId": inbound_id, "previousPublishedMessageId": "S1"}
    return {"Type": "Notification", "MessageId": f"sns-{inbound_id}", "TopicArn": "arn:aws:sns:us-east-1:"
            "123456789012:engagement-dev-inbound-sms", "Message": json.dumps(payload), "Timestamp": DAY + at}


def preference_events() -> list[dict]:
    """u-pc leaves everything through a one-click link from campaign c1 (email + sms events); u-kw's STOP reply,
    once the preference center applies it, comes back as an sms unsubscribe with source sms_keyword."""
    pc = {"subscriptions": {"weekly": ["EMAIL", "SMS"]}, "addresses": {"EMAIL": "pc@x.com", "SMS": "+15550100"},
          "unsubscribed_all": False}
    keyword = {"subscriptions": {"alerts": ["SMS"]}, "addresses": {"SMS": "+S1"}, "unsubscribed_all": False}
    return (preference_change_events(user_id="u-pc", center_id="main", when=DAY + "15:00:00Z", old=pc,
                                     new={**pc, "subscriptions": {}, "unsubscribed_all": True}, source="one_click",
                                     version=2, campaign_id="c1")
            + preference_change_events(user_id="u-kw", center_id="main", when=DAY + "16:00:00Z", old=keyword,
                                       new={**keyword, "subscriptions": {}}, source="sms_keyword", version=5))


def fixture_events() -> list[dict]:
    open_ = {"open": {"timestamp": DAY + "11:00:00.000Z", "ipAddress": "192.0.2.1", "userAgent": "ua"}}
    return [
        # campaign c1, message A to two recipients: delivered, opened twice, unsubscribe link clicked
        ses("Send", "A", ["a1@x.com", "a2@x.com"], "10:00:00.000Z", "c1", send={}),
        ses("Delivery", "A", ["a1@x.com", "a2@x.com"], "10:00:00.000Z", "c1",
            delivery={"timestamp": DAY + "10:00:02.000Z", "recipients": ["a1@x.com", "a2@x.com"],
                      "processingTimeMillis": 2000, "smtpResponse": "250 ok", "reportingMTA": "mta"}),
        ses("Open", "A", ["a1@x.com", "a2@x.com"], "10:00:00.000Z", "c1", **open_),
        ses("Open", "A", ["a1@x.com", "a2@x.com"], "10:00:00.000Z", "c1",
            open={"timestamp": DAY + "12:00:00.000Z", "ipAddress": "192.0.2.2", "userAgent": "ua"}),
        ses("Click", "A", ["a1@x.com", "a2@x.com"], "10:00:00.000Z", "c1",
            click={"timestamp": DAY + "11:01:00.000Z", "ipAddress": "192.0.2.1", "userAgent": "ua",
                   "link": "https://x.com/unsubscribe", "linkTags": {"unsubscribeLinkTag": ["footer"]}}),
        # campaign c1, message B to two recipients: hard bounce of both
        ses("Send", "B", ["b1@x.com", "b2@x.com"], "10:00:00.000Z", "c1", send={}),
        ses("Bounce", "B", ["b1@x.com", "b2@x.com"], "10:00:00.000Z", "c1", **bounce("Permanent", ["b1@x.com", "b2@x.com"])),
        # campaign c1, message C: delivered, complaint, then unsubscribed through the SES subscription page
        ses("Send", "C", ["c@x.com"], "10:00:00.000Z", "c1", send={}),
        ses("Delivery", "C", ["c@x.com"], "10:00:00.000Z", "c1",
            delivery={"timestamp": DAY + "10:00:03.000Z", "recipients": ["c@x.com"], "processingTimeMillis": 3000,
                      "smtpResponse": "250 ok", "reportingMTA": "mta"}),
        ses("Complaint", "C", ["c@x.com"], "10:00:00.000Z", "c1",
            complaint={"timestamp": DAY + "13:00:00.000Z", "complainedRecipients": [{"emailAddress": "c@x.com"}],
                       "complaintFeedbackType": "abuse", "feedbackId": "fb-c"}),
        ses("Subscription", "C", ["c@x.com"], "10:00:00.000Z", "c1",
            subscription={"contactList": "News", "timestamp": DAY + "13:05:00.000Z", "source": "UnsubscribeHeader",
                          "newTopicPreferences": {"unsubscribeAll": True, "topicSubscriptionStatus": []}}),
        # no campaign: one each of reject, rendering failure, delivery delay
        ses("Reject", "D", ["d@x.com"], "14:00:00.000Z", reject={"reason": "Bad content"}),
        ses("Rendering Failure", "E", ["e@x.com"], "14:00:00.000Z",
            failure={"templateName": "T1", "errorMessage": "Attribute 'name' is missing"}),
        ses("DeliveryDelay", "F", ["f@x.com"], "14:00:00.000Z",
            deliveryDelay={"timestamp": DAY + "14:10:00.000Z", "delayType": "MailboxFull",
                           "expirationTime": DAY + "23:00:00.000Z",
                           "delayedRecipients": [{"emailAddress": "f@x.com", "status": "4.2.2", "diagnosticCode": "full"}]}),
        *preference_events(),
        # SMS: S1 US accepted then delivered; S2 GB 2 parts accepted then carrier-blocked; S3 GB accepted then
        # delivered; S4 US blocked; S5 DE where a final TEXT_SUCCESSFUL is the success (no handset receipt)
        sms("TEXT_SUCCESSFUL", "S1", "US", 0.00581, 1, "SUCCESSFUL", 0, False),
        sms("TEXT_DELIVERED", "S1", "US", 0.00581, 1, "DELIVERED", 1000, True),
        sms("TEXT_SUCCESSFUL", "S2", "GB", 0.079, 2, "SUCCESSFUL", 0, False),
        sms("TEXT_CARRIER_BLOCKED", "S2", "GB", 0.079, 2, "CARRIER_BLOCKED", 2000, True),
        sms("TEXT_SUCCESSFUL", "S3", "GB", 0.0395, 1, "SUCCESSFUL", 0, False),
        sms("TEXT_DELIVERED", "S3", "GB", 0.0395, 1, "DELIVERED", 3000, True),
        sms("TEXT_BLOCKED", "S4", "US", 0.00581, 1, "BLOCKED", 0, True),
        sms("TEXT_SUCCESSFUL", "S5", "DE", 0.0854, 1, "SUCCESSFUL", 500, True),
        # two-way replies: S1's recipient sends STOP, S3's says thanks
        reply("+S1", "STOP", "in-1", "11:00:00.000Z"),
        reply("+S3", "Thanks!", "in-2", "11:30:00.000Z"),
    ]

"""A small hand-built set of source events whose view results are known exactly (see test_event_views.py)."""
from __future__ import annotations

DAY = "2026-02-01T"


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


def sms(event_type: str, message_id: str, country: str, price: float, parts: int, status: str, at_ms: int) -> dict:
    return {"eventType": event_type, "eventVersion": "1.0", "eventTimestamp": 1_769_940_000_000 + at_ms,
            "isFinal": event_type != "TEXT_SUCCESSFUL", "originationPhoneNumber": "+12065550152",
            "destinationPhoneNumber": f"+{message_id}", "isoCountryCode": country, "messageId": message_id,
            "messageType": "TRANSACTIONAL", "messageStatus": status, "messageStatusDescription": status.lower(),
            "context": {"campaign_id": "c-sms"}, "totalMessageParts": parts, "totalMessagePrice": price,
            "totalCarrierFee": 0.0}


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
            deliveryDelay={"timestamp": DAY + "14:10:00.000Z", "delayType": "MailboxFull", "expirationTime": DAY + "23:00:00.000Z",
                           "delayedRecipients": [{"emailAddress": "f@x.com", "status": "4.2.2", "diagnosticCode": "full"}]}),
        {"event_type": "preference_center.unsubscribe", "event_timestamp": DAY + "15:00:00Z", "app_id": "preference-center",
         "user_id": "u-e", "channel": "email", "address": "pc@x.com", "attributes": {"publication_id": "weekly"}},
        {"event_type": "preference_center.unsubscribe", "event_timestamp": DAY + "15:30:00Z", "app_id": "preference-center",
         "user_id": "u-s", "channel": "sms", "address": "+15550100", "attributes": {"publication_id": "alerts"}},
        # SMS: S1 US delivered; S2 GB 2 parts carrier-blocked; S3 GB delivered; S4 US blocked as opted out
        sms("TEXT_SUCCESSFUL", "S1", "US", 0.00581, 1, "SUCCESSFUL", 0),
        sms("TEXT_DELIVERED", "S1", "US", 0.00581, 1, "DELIVERED", 1000),
        sms("TEXT_SUCCESSFUL", "S2", "GB", 0.079, 2, "SUCCESSFUL", 0),
        sms("TEXT_CARRIER_BLOCKED", "S2", "GB", 0.079, 2, "CARRIER_BLOCKED", 2000),
        sms("TEXT_SUCCESSFUL", "S3", "GB", 0.0395, 1, "SUCCESSFUL", 0),
        sms("TEXT_DELIVERED", "S3", "GB", 0.0395, 1, "DELIVERED", 3000),
        sms("TEXT_BLOCKED", "S4", "US", 0.00581, 1, "OPTED_OUT", 0),
    ]

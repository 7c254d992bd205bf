"""SMS traffic for the sample-event generator: End User Messaging events of one message, and two-way replies
as the SNS -> Firehose subscription delivers them (tools/sample_events.py mixes them with the other sources)."""
from __future__ import annotations

import json
import random
import uuid

from contracts.events import ms_to_iso

ACCOUNT = "123456789012"
CAMPAIGNS = ("spring-sale", "welcome-series", "winback-q1", "newsletter-w12")
# (country, number prefix, price per part, whether carriers there report handset receipts)
COUNTRIES = (("US", "+1206555", 0.00581, True), ("GB", "+447700", 0.0395, True), ("DE", "+4915", 0.0854, False),
             ("IN", "+9198", 0.0021, False), ("BR", "+5511", 0.0431, True))
OUR_NUMBER = "+12065550152"
INBOUND_TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:engagement-dev-inbound-sms"
SMS_FAILURES = ("TEXT_UNREACHABLE", "TEXT_CARRIER_BLOCKED", "TEXT_INVALID", "TEXT_TTL_EXPIRED", "TEXT_SPAM")


def sms_message_events(rng: random.Random, ms: int) -> list[dict]:
    """One SMS's events. Where the destination country reports a handset receipt, TEXT_SUCCESSFUL (carrier
    accepted, isFinal false) is followed by a final TEXT_DELIVERED; elsewhere a final TEXT_SUCCESSFUL is the
    success (the two are interchangeable by country). Some recipients reply (two-way SMS, through SNS)."""
    country, prefix, price, receipts = rng.choice(COUNTRIES)
    parts = rng.choice([1, 1, 1, 2, 3])
    user = f"user-{rng.randint(1, 400):04d}"
    customer = f"{prefix}{rng.randint(100000, 999999)}"
    base = {"eventVersion": "1.0", "originationPhoneNumber": OUR_NUMBER, "destinationPhoneNumber": customer,
            "isInternationalSend": country != "US", "isoCountryCode": country, "mcc": "310", "mnc": "800",
            "messageId": str(uuid.UUID(int=rng.getrandbits(128))), "messageRequestTimestamp": ms,
            "messageEncoding": "GSM", "messageType": rng.choice(["PROMOTIONAL", "TRANSACTIONAL"]),
            "context": {"campaign_id": rng.choice(CAMPAIGNS), "user_id": user}, "totalMessageParts": parts,
            "totalMessagePrice": round(price * parts, 5), "totalCarrierFee": 0.0}
    if rng.random() < 0.3:
        base["protectConfiguration"] = {"protectConfigurationId": "protect-e06e5d722c31455286262a108e7d863d",
                                        "protectStatus": "ALLOW"}
    failed = rng.random() < 0.1
    final = rng.choice(SMS_FAILURES) if failed else ("TEXT_DELIVERED" if receipts else "TEXT_SUCCESSFUL")
    flow = [("TEXT_SUCCESSFUL", False, "SUCCESSFUL", "Message has been accepted by phone carrier")]
    if final == "TEXT_SUCCESSFUL":
        flow = [("TEXT_SUCCESSFUL", True, "SUCCESSFUL", "Message has been accepted by phone carrier")]
    else:
        flow.append((final, True, final.removeprefix("TEXT_"), "Message final status"))
    at = ms + 300
    events = []
    for event_type, is_final, status, description in flow:
        events.append({**base, "eventType": event_type, "eventTimestamp": at, "isFinal": is_final,
                       "messageStatus": status, "messageStatusDescription": description})
        at += rng.randint(500, 20_000)
    if not failed and rng.random() < 0.04:
        events.append(inbound_reply(rng, at + rng.randint(10_000, 3_600_000), customer, base["messageId"]))
    return events


def inbound_reply(rng: random.Random, ms: int, customer: str, replying_to: str) -> dict:
    """A two-way SMS reply as SNS delivers it to Firehose: the payload End User Messaging publishes, inside
    SNS's notification envelope (raw message delivery off, so the envelope's Timestamp comes along)."""
    body = rng.choice(["STOP", "STOP", "Stop please", "UNSUBSCRIBE", "HELP", "Thanks!", "START"])
    payload = {"originationNumber": customer, "destinationNumber": OUR_NUMBER,
               "messageKeyword": "KEYWORD_" + ACCOUNT, "messageBody": body,
               "inboundMessageId": str(uuid.UUID(int=rng.getrandbits(128))), "previousPublishedMessageId": replying_to}
    return sns_envelope(payload, ms, rng)


def sns_envelope(payload: dict, ms: int, rng: random.Random | None = None) -> dict:
    message_id = str(uuid.UUID(int=(rng or random.Random(ms)).getrandbits(128)))
    return {"Type": "Notification", "MessageId": message_id, "TopicArn": INBOUND_TOPIC,
            "Message": json.dumps(payload), "Timestamp": ms_to_iso(ms),
            "UnsubscribeURL": f"https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn="
                              f"{INBOUND_TOPIC}:0b410f3c-ee5e-49d8-b59b-3b4aa6d8fcf5"}

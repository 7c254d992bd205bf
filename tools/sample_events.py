"""Deterministic generator of realistic engagement events, for demos, tests and benchmarks.

Same seed, same events: every random choice comes from one `random.Random(seed)`.

    python -m tools.sample_events --days 30 --events-per-day 500 --out out/samples --format ses-firehose
    python -m tools.sample_events --days 30 --events-per-day 500 --out out/old --format pinpoint-parquet

`ses-firehose` writes newline-delimited source records as producers put them on the stream (SES v2 event
publishing, End User Messaging SMS events and two-way replies in SNS's envelope, custom app events and
preference-center events built with the events contract's builders), one file per day; `pinpoint-parquet` writes rows of the old
DUE `all_events` schema under `events/YYYY/MM/DD/HH/` like the seed's Firehose did (for the importer).
"""
from __future__ import annotations

import argparse
import base64
import json
import random
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from contracts.events import custom_event, ms_to_iso, preference_change_events, preference_event
from tools.sample_pinpoint import pinpoint_rows, write_pinpoint_parquet
from tools.sample_sms import ACCOUNT, CAMPAIGNS, INBOUND_TOPIC, OUR_NUMBER, sms_message_events, sns_envelope  # noqa: F401

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def iso(ms: int) -> str:
    return ms_to_iso(ms)


def ses_mail(rng: random.Random, ms: int, recipients: list[str], campaign: str, user: str) -> dict:
    """The `mail` object as SES publishes it (headers as in the SES and Pinpoint published examples)."""
    message_id = f"{rng.getrandbits(64):016x}-{uuid.UUID(int=rng.getrandbits(128))}-000000"
    subject = f"Your {campaign} update"
    return {
        "timestamp": iso(ms), "source": "News <news@example.com>",
        "sourceArn": f"arn:aws:ses:us-east-1:{ACCOUNT}:identity/example.com", "sendingAccountId": ACCOUNT,
        "messageId": message_id, "destination": recipients, "headersTruncated": False,
        "headers": [{"name": "From", "value": "News <news@example.com>"},
                    {"name": "To", "value": ", ".join(recipients)}, {"name": "Subject", "value": subject},
                    {"name": "MIME-Version", "value": "1.0"},
                    {"name": "Content-Type", "value": "multipart/alternative;  boundary=\"----=_Part_"
                                                      f"{rng.getrandbits(20)}_{rng.getrandbits(30)}\""}],
        "commonHeaders": {"from": ["News <news@example.com>"], "to": recipients, "messageId": message_id,
                          "subject": subject},
        "tags": {"ses:configuration-set": ["engagement"], "ses:source-ip": ["192.0.2.10"],
                 "ses:from-domain": ["example.com"], "ses:caller-identity": ["app"],
                 "campaign_id": [campaign], "user_id": [user], "segment": ["a", "b"]},
    }


def ses_detail(rng: random.Random, event_type: str, ms: int, recipients: list[str]) -> tuple[str, dict]:
    """(key, object) of the type-specific part of an SES event, per the SES event publishing docs."""
    ts = iso(ms)
    ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)"
    if event_type == "Send":
        return "send", {}
    if event_type == "Delivery":
        return "delivery", {"timestamp": ts, "processingTimeMillis": rng.randint(300, 4000),
                            "recipients": recipients, "smtpResponse": "250 2.6.0 Message received",
                            "reportingMTA": "a8-70.smtp-out.amazonses.com", "remoteMtaIp": "198.51.100.7"}
    if event_type == "Bounce":
        permanent = rng.random() < 0.6
        return "bounce", {
            "bounceType": "Permanent" if permanent else rng.choice(["Transient", "Undetermined"]),
            "bounceSubType": "General" if permanent else "MailboxFull", "timestamp": ts,
            "bouncedRecipients": [{"emailAddress": r, "action": "failed",
                                   "status": "5.1.1" if permanent else "4.2.2",
                                   "diagnosticCode": "smtp; 550 5.1.1 user unknown" if permanent
                                   else "smtp; 452 4.2.2 mailbox full"} for r in recipients],
            "feedbackId": f"0100{rng.getrandbits(48):012x}-000000", "reportingMTA": "dsn; mta.example.com"}
    if event_type == "Complaint":
        return "complaint", {"complainedRecipients": [{"emailAddress": recipients[0]}], "timestamp": ts,
                             "feedbackId": f"0100{rng.getrandbits(48):012x}-000000", "userAgent": ua,
                             "complaintFeedbackType": "abuse", "arrivalDate": ts}
    if event_type == "Reject":
        return "reject", {"reason": "Bad content"}
    if event_type == "Open":
        return "open", {"timestamp": ts, "ipAddress": f"203.0.113.{rng.randint(1, 254)}", "userAgent": ua}
    if event_type == "Click":
        unsubscribe = rng.random() < 0.1
        link = "https://example.com/unsubscribe" if unsubscribe else f"https://example.com/p/{rng.randint(1, 9)}"
        tags = {"unsubscribeLinkTag": ["footer"]} if unsubscribe else {"samplekey0": ["samplevalue0"]}
        return "click", {"timestamp": ts, "ipAddress": f"203.0.113.{rng.randint(1, 254)}", "userAgent": ua,
                         "link": link, "linkTags": tags}
    if event_type == "Rendering Failure":
        return "failure", {"errorMessage": "Attribute 'name' is not present in the rendering data.",
                           "templateName": "WelcomeTemplate"}
    if event_type == "DeliveryDelay":
        return "deliveryDelay", {"timestamp": ts, "delayType": "TransientCommunicationFailure",
                                 "expirationTime": iso(ms + 86_400_000), "reportingMTA": "a8-70.smtp-out.amazonses.com",
                                 "delayedRecipients": [{"emailAddress": r, "status": "4.4.1",
                                                        "diagnosticCode": "smtp; 421 4.4.1 Unable to connect"}
                                                       for r in recipients]}
    if event_type == "Subscription":
        return "subscription", {
            "contactList": "Newsletters", "timestamp": ts, "source": "UnsubscribeHeader",
            "newTopicPreferences": {"unsubscribeAll": rng.random() < 0.5,
                                    "topicSubscriptionStatus": [{"topicName": "Weekly", "subscriptionStatus": "OptOut"}]},
            "oldTopicPreferences": {"unsubscribeAll": False,
                                    "topicSubscriptionStatus": [{"topicName": "Weekly", "subscriptionStatus": "OptIn"}]}}
    raise ValueError(event_type)


def ses_message_events(rng: random.Random, ms: int) -> list[dict]:
    """One email's life: Send then outcome, opens/clicks, sometimes a complaint or unsubscribe."""
    campaign, user = rng.choice(CAMPAIGNS), f"user-{rng.randint(1, 400):04d}"
    recipients = [f"{user}@example.net"] + ([f"{user}.alt@example.org"] if rng.random() < 0.2 else [])
    mail = ses_mail(rng, ms, recipients, campaign, user)
    roll = rng.random()
    if roll < 0.02:
        flow = ["Reject"]
    elif roll < 0.04:
        flow = ["Rendering Failure"]
    else:
        flow = ["Send"]
        outcome = rng.random()
        if outcome < 0.07:
            flow.append("Bounce")
        else:
            if outcome < 0.12:
                flow.append("DeliveryDelay")
            flow.append("Delivery")
            if rng.random() < 0.45:
                flow.append("Open")
                if rng.random() < 0.35:
                    flow.append("Click")
            if rng.random() < 0.01:
                flow.append("Complaint")
            if rng.random() < 0.02:
                flow.append("Subscription")
    events = []
    for step, event_type in enumerate(flow):
        at = ms + step * rng.randint(1_000, 600_000)
        key, detail = ses_detail(rng, event_type, at, recipients)
        events.append({"eventType": event_type, "mail": mail, key: detail})
    return events


def custom_app_event(rng: random.Random, ms: int) -> dict:
    return custom_event(
        rng.choice(["checkout.completed", "page.view", "app.login"]), ms, app_id="shop-web",
        user_id=f"user-{rng.randint(1, 400):04d}", session_id=f"s-{rng.getrandbits(32):08x}",
        campaign_id=rng.choice(CAMPAIGNS + (None,)), attributes={"plan": rng.choice(["free", "pro"])},
        metrics={"basket_value": round(rng.uniform(5, 200), 2), "items": float(rng.randint(1, 5))})


def preference_center_events(rng: random.Random, ms: int) -> list[dict]:
    """A visit to the preference center, built with the contract's builders (what the preference API and sync
    emit): the page is opened and read, and sometimes the preferences change, one event per affected channel."""
    user = f"user-{rng.randint(1, 400):04d}"
    addresses = {"EMAIL": f"{user}@example.net", "SMS": f"+1206555{rng.randint(1000, 9999)}"}
    before = {"subscriptions": {"weekly": ["EMAIL", "SMS"], "offers": ["EMAIL"]}, "addresses": addresses,
              "unsubscribed_all": False}
    events = [preference_event("open", user_id=user, center_id="main", when=ms, language="en"),
              preference_event("read", user_id=user, center_id="main", when=ms + 2_000)]
    change = rng.random()
    if change < 0.1:  # a new user opting in through the sign-up link
        return events + preference_change_events(user_id=user, center_id="main", when=ms + 30_000, old=None,
                                                 new=before, source="optin", version=1)
    if change < 0.4:
        after = {**before, "subscriptions": {"weekly": ["EMAIL"]}}
    elif change < 0.6:
        after = {**before, "subscriptions": {}, "unsubscribed_all": True}
    elif change < 0.8:
        after = {**before, "subscriptions": {**before["subscriptions"], "alerts": ["SMS"]}}
    elif change < 0.9:
        after = {**before, "addresses": {**addresses, "EMAIL": f"{user}.new@example.net"}}
    else:
        return events
    source = "one_click" if after.get("unsubscribed_all") and rng.random() < 0.5 else "page"
    events += preference_change_events(user_id=user, center_id="main", when=ms + 30_000, old=before, new=after,
                                       source=source, version=2, campaign_id=rng.choice(CAMPAIGNS + (None,)))
    return events


def generate_events(days: int, events_per_day: int, seed: int = 7, start: datetime = START) -> list[dict]:
    """About `events_per_day` source records per day, all sources mixed, in time order per day."""
    rng = random.Random(seed)
    events: list[dict] = []
    for day in range(days):
        day_start = int((start + timedelta(days=day)).timestamp() * 1000)
        todays: list[dict] = []
        while len(todays) < events_per_day:
            ms = day_start + rng.randint(0, 86_399_000 - 3_600_000)  # flows stay inside the day
            roll = rng.random()
            if roll < 0.6:
                todays.extend(ses_message_events(rng, ms))
            elif roll < 0.85:
                todays.extend(sms_message_events(rng, ms))
            elif roll < 0.95:
                todays.append(custom_app_event(rng, ms))
            else:
                todays.extend(preference_center_events(rng, ms))
        events.extend(todays[:events_per_day])
    return events


def firehose_batches(events: Iterable[dict | bytes], batch_size: int = 500,
                     arrival_ms: int = 1_767_225_600_000) -> Iterator[dict]:
    """Firehose transformation requests carrying the events (dicts as JSON lines, bytes verbatim)."""
    batch: list[dict] = []
    for i, event in enumerate(events):
        data = event if isinstance(event, bytes) else (json.dumps(event) + "\n").encode()
        batch.append({"recordId": f"{i:08d}", "approximateArrivalTimestamp": arrival_ms,
                      "data": base64.b64encode(data).decode()})
        if len(batch) == batch_size:
            yield _request(batch)
            batch = []
    if batch:
        yield _request(batch)


def _request(records: list[dict]) -> dict:
    return {"invocationId": "00540a87-5050-496a-84e4-e7d92bbaf5e2",
            "deliveryStreamArn": f"arn:aws:firehose:us-east-1:{ACCOUNT}:deliverystream/engagement-events",
            "region": "us-east-1", "records": records}


def write_source_jsonl(events: list[dict], out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    by_day: dict[str, list[str]] = {}
    for event in events:
        by_day.setdefault(_day_of(event), []).append(json.dumps(event))
    paths = []
    for day, lines in sorted(by_day.items()):
        path = out / f"events-{day}.jsonl"
        path.write_text("\n".join(lines) + "\n")
        paths.append(path)
    return paths


def _day_of(event: dict[str, Any]) -> str:
    ts = (event.get("eventTimestamp") or event.get("event_timestamp") or event.get("Timestamp")
          or event["mail"]["timestamp"])
    return iso(ts)[:10] if isinstance(ts, int) else ts[:10]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--events-per-day", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--format", choices=["ses-firehose", "pinpoint-parquet"], default="ses-firehose")
    args = parser.parse_args(argv)
    if args.format == "ses-firehose":
        paths = write_source_jsonl(generate_events(args.days, args.events_per_day, args.seed), args.out)
    else:
        paths = write_pinpoint_parquet(pinpoint_rows(args.days, args.events_per_day, args.seed), args.out)
    print(f"wrote {len(paths)} files under {args.out}")


if __name__ == "__main__":
    main()

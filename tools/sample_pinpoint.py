"""Rows of the OLD Pinpoint-era DUE `all_events` table (seed-solutions.md §1.5), for the history importer.

The Arrow schema below is the seed's Glue DDL column for column, including its defects (metrics as a
struct with one field, issue #1), because that is what users' old Parquet files contain.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

START = datetime(2025, 6, 1, tzinfo=timezone.utc)
LEGACY_TYPES = (("_email.send", 30), ("_email.delivered", 26), ("_email.open", 12), ("_email.click", 5),
                ("_email.hardbounce", 2), ("_email.softbounce", 1), ("_email.complaint", 1),
                ("_email.unsubscribe", 1), ("_email.rejected", 1), ("_SMS.BUFFERED", 8), ("_SMS.SUCCESS", 7),
                ("_SMS.FAILURE", 1), ("_SMS.OPTOUT", 1), ("_campaign.send", 3), ("_session.start", 1))


def pinpoint_arrow_schema():
    import pyarrow as pa

    s = pa.string()
    recipients = pa.list_(pa.struct([("email_address", s), ("action", s), ("status", s), ("diagnostic_code", s)]))
    mail_event = pa.struct([
        ("mail", pa.struct([("message_id", s), ("message_send_timestamp", pa.int64()), ("from_address", s),
                            ("destination", pa.list_(s)), ("headers_truncated", pa.bool_()),
                            ("headers", pa.list_(pa.map_(s, s))),
                            ("common_headers", pa.struct([("from", s), ("to", pa.list_(s)), ("subject", s)]))])),
        ("send", pa.map_(s, s)),
        ("delivery", pa.struct([("smtp_response", s), ("reporting_mta", s), ("recipients", pa.list_(s)),
                                ("processing_time_millis", pa.int32())])),
        ("open", pa.struct([("ip_address", s), ("user_agent", s)])),
        ("click", pa.struct([("ip_address", s), ("user_agent", s), ("link", s),
                             ("link_tags", pa.struct([("unsubscribeLinkTag", pa.list_(s))]))])),
        ("reject", pa.struct([("reason", s)])),
        ("complaint", pa.struct([("complained_recipients", pa.list_(pa.struct([("email_address", s)]))),
                                 ("feedback_id", s), ("user_agent", s), ("complaint_feedback_type", s)])),
        ("bounce", pa.struct([("bounce_type", s), ("bounce_sub_type", s), ("bounced_recipients", recipients),
                              ("feedback_id", s), ("reporting_mta", s)])),
    ])
    return pa.schema([
        ("event_type", s), ("event_timestamp", pa.int64()), ("arrival_timestamp", pa.int64()), ("event_version", s),
        ("application", pa.struct([("app_id", s), ("sdk", pa.map_(s, s))])),
        ("client", pa.struct([("client_id", s), ("cognito_id", s)])),
        ("device", pa.struct([("platform", pa.map_(s, s))])),
        ("session", pa.map_(s, s)), ("attributes", pa.map_(s, s)),
        ("client_context", pa.struct([("custom", pa.map_(s, s))])),
        ("awsAccountId", s), ("metrics", pa.struct([("price_in_millicents_usd", pa.float64())])),
        ("facets", pa.struct([("email_channel", pa.struct([("mail_event", mail_event)]))])),
    ])


def pinpoint_row(rng: random.Random, event_type: str, ms: int) -> dict:
    endpoint = f"ep-{rng.randint(1, 300):04d}"
    attributes = {"campaign_id": f"cmp-{rng.randint(1, 4)}", "treatment_id": "0", "campaign_activity_id": "a1"}
    row = {"event_type": event_type, "event_timestamp": ms, "arrival_timestamp": ms + rng.randint(100, 5000),
           "event_version": "3.1", "application": {"app_id": "0123456789abcdef", "sdk": []},
           "client": {"client_id": endpoint, "cognito_id": None}, "device": {"platform": []}, "session": [],
           "attributes": attributes, "client_context": {"custom": []}, "awsAccountId": "123456789012",
           "metrics": {"price_in_millicents_usd": None}, "facets": None}
    if event_type.startswith("_email."):
        address = f"{endpoint}@example.net"
        mail = {"message_id": f"0100{rng.getrandbits(64):016x}-000000", "message_send_timestamp": ms - 1000,
                "from_address": "news@example.com", "destination": [address], "headers_truncated": False,
                "headers": [[("name", "Subject"), ("value", "Hello")]],
                "common_headers": {"from": "news@example.com", "to": [address], "subject": "Hello"}}
        event: dict = {"mail": mail}
        kind = event_type.removeprefix("_email.")
        if kind == "delivered":
            event["delivery"] = {"smtp_response": "250 ok", "reporting_mta": "a8-70.smtp-out.amazonses.com",
                                 "recipients": [address], "processing_time_millis": rng.randint(200, 3000)}
        elif kind in ("hardbounce", "softbounce"):
            event["bounce"] = {"bounce_type": "Permanent" if kind == "hardbounce" else "Transient",
                               "bounce_sub_type": "General", "feedback_id": "fb", "reporting_mta": "dsn; mta",
                               "bounced_recipients": [{"email_address": address, "action": "failed",
                                                       "status": "5.1.1", "diagnostic_code": "smtp; 550"}]}
        elif kind == "complaint":
            event["complaint"] = {"complained_recipients": [{"email_address": address}], "feedback_id": "fb",
                                  "user_agent": "ua", "complaint_feedback_type": "abuse"}
        elif kind in ("open", "click", "unsubscribe"):
            event["open" if kind == "open" else "click"] = {"ip_address": "203.0.113.5", "user_agent": "ua"} | (
                {} if kind == "open" else {"link": "https://example.com/x", "link_tags": {
                    "unsubscribeLinkTag": ["footer"] if kind == "unsubscribe" else None}})
        elif kind == "rejected":
            event["reject"] = {"reason": "Bad content"}
        row["facets"] = {"email_channel": {"mail_event": event}}
    elif event_type.startswith("_SMS."):
        status = {"_SMS.BUFFERED": "SUCCESSFUL", "_SMS.SUCCESS": "DELIVERED", "_SMS.OPTOUT": "OPTED_OUT",
                  "_SMS.FAILURE": rng.choice(["UNREACHABLE", "CARRIER_BLOCKED"])}[event_type]
        attributes.update({"sender_request_id": f"r{rng.getrandbits(32):08x}", "destination_phone_number":
                           f"+1206555{rng.randint(1000, 9999)}", "record_status": status, "iso_country_code": "US",
                           "number_of_message_parts": "1", "message_id": f"{rng.getrandbits(64):016x}",
                           "message_type": "Transactional", "origination_phone_number": "+12065550152"})
        row["metrics"] = {"price_in_millicents_usd": 645.0}
    elif event_type == "_campaign.send":
        attributes.update({"delivery_type": "EMAIL", "campaign_send_status": "SUCCESS"})
    row["attributes"] = list(attributes.items())
    return row


def pinpoint_rows(days: int, per_day: int, seed: int = 7, start: datetime = START) -> list[dict]:
    rng = random.Random(seed)
    names = [t for t, _ in LEGACY_TYPES]
    weights = [w for _, w in LEGACY_TYPES]
    rows = []
    for day in range(days):
        day_start = int((start + timedelta(days=day)).timestamp() * 1000)
        for _ in range(per_day):
            rows.append(pinpoint_row(rng, rng.choices(names, weights)[0], day_start + rng.randint(0, 86_399_000)))
    return rows


def write_pinpoint_parquet(rows: list[dict], out: Path) -> list[Path]:
    """One Parquet file per ingest hour under events/YYYY/MM/DD/HH/, the seed's layout."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    by_hour: dict[str, list[dict]] = {}
    for row in rows:
        hour = datetime.fromtimestamp(row["arrival_timestamp"] / 1000, tz=timezone.utc).strftime("%Y/%m/%d/%H")
        by_hour.setdefault(hour, []).append(row)
    paths = []
    for hour, hour_rows in sorted(by_hour.items()):
        path = out / "events" / hour / "due-events-1.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(hour_rows, schema=pinpoint_arrow_schema()), path, compression="snappy")
        paths.append(path)
    return paths

"""Rows of the OLD Pinpoint-era DUE `all_events` table, shaped exactly like the Parquet the seed's Firehose wrote.

The schema is the seed's Glue DDL (seed-solutions.md §1.5, `EventTableAllNamedQuery`) column for column, defects
included (metrics as a struct with one field, seed issue #1), and spelled as Glue stored it: Glue lower-cases
column and struct field names, so the files hold `awsaccountid` and `link_tags.unsubscribelinktag`, not the
event stream's `awsAccountId` / `unsubscribeLinkTag`. `parse_hive_type` lower-cases the same way, so the Arrow
schema below comes straight from the DDL text.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from contracts.events.types import arrow_type

START = datetime(2025, 6, 1, tzinfo=timezone.utc)
_RECIPIENT = "struct<email_address:string,action:string,status:string,diagnostic_code:string>"
_MAIL_EVENT = (
    "struct<mail:struct<message_id:string,message_send_timestamp:bigint,from_address:string,"
    "destination:array<string>,headers_truncated:boolean,headers:array<map<string,string>>,"
    "common_headers:struct<from:string,to:array<string>,subject:string>>,"
    "send:map<string,string>,"
    "delivery:struct<smtp_response:string,reporting_mta:string,recipients:array<string>,processing_time_millis:int>,"
    "open:struct<ip_address:string,user_agent:string>,"
    "click:struct<ip_address:string,user_agent:string,link:string,link_tags:struct<unsubscribeLinkTag:array<string>>>,"
    "reject:struct<reason:string>,"
    "complaint:struct<complained_recipients:array<struct<email_address:string>>,feedback_id:string,"
    "user_agent:string,complaint_feedback_type:string>,"
    f"bounce:struct<bounce_type:string,bounce_sub_type:string,bounced_recipients:array<{_RECIPIENT}>,"
    "feedback_id:string,reporting_mta:string>>")
# The seed's DDL, in its own spelling; Glue (and parse_hive_type) lower-case the names.
DUE_DDL_COLUMNS = (
    ("event_type", "string"), ("event_timestamp", "bigint"), ("arrival_timestamp", "bigint"),
    ("event_version", "string"), ("application", "struct<app_id:string,sdk:map<string,string>>"),
    ("client", "struct<client_id:string,cognito_id:string>"), ("device", "struct<platform:map<string,string>>"),
    ("session", "map<string,string>"), ("attributes", "map<string,string>"),
    ("client_context", "struct<custom:map<string,string>>"), ("awsAccountId", "string"),
    ("metrics", "struct<price_in_millicents_usd:double>"),
    ("facets", f"struct<email_channel:struct<mail_event:{_MAIL_EVENT}>>"),
)
LEGACY_TYPES = (("_email.send", 30), ("_email.delivered", 26), ("_email.open", 12), ("_email.click", 5),
                ("_email.hardbounce", 2), ("_email.softbounce", 1), ("_email.complaint", 1),
                ("_email.unsubscribe", 1), ("_email.rejected", 1), ("_SMS.BUFFERED", 8), ("_SMS.SUCCESS", 7),
                ("_SMS.FAILURE", 1), ("_SMS.OPTOUT", 1), ("_campaign.send", 3), ("_journey.send", 2),
                ("_session.start", 1))


def pinpoint_arrow_schema():
    import pyarrow as pa

    return pa.schema([pa.field(name.lower(), arrow_type(hive)) for name, hive in DUE_DDL_COLUMNS])


def pinpoint_row(rng: random.Random, event_type: str, ms: int) -> dict:
    """One row as the seed's Firehose stored it (Glue's lower-case names; maps as lists of pairs)."""
    endpoint = f"ep-{rng.randint(1, 300):04d}"
    attributes = {"campaign_id": f"cmp-{rng.randint(1, 4)}", "treatment_id": "0", "campaign_activity_id": "a1"}
    send_ms = ms - rng.randint(1_000, 3_600_000)
    # Pinpoint's email event_timestamp is the SEND time; arrival_timestamp is when the event came in.
    reported = send_ms if event_type.startswith("_email.") else ms
    row = {"event_type": event_type, "event_timestamp": reported, "arrival_timestamp": ms + rng.randint(100, 5000),
           "event_version": "3.1", "application": {"app_id": "0123456789abcdef", "sdk": []},
           "client": {"client_id": endpoint, "cognito_id": None}, "device": {"platform": []}, "session": [],
           "client_context": {"custom": []}, "awsaccountid": "123456789012",
           "metrics": {"price_in_millicents_usd": None}, "facets": None}
    if event_type.startswith("_email."):
        row["facets"] = {"email_channel": {"mail_event": _mail_event(rng, event_type, endpoint, send_ms)}}
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
    elif event_type == "_journey.send":
        attributes = {"journey_run_id": f"run{rng.getrandbits(32):08x}", "journey_send_status": "SUCCESS",
                      "journey_id": "546401670c5547b08811ac6a9example", "journey_activity_id": "0yKexample",
                      "journey_activity_type": rng.choice(["EMAIL", "SMS"])}
    row["attributes"] = list(attributes.items())
    return row


def _mail_event(rng: random.Random, event_type: str, endpoint: str, send_ms: int) -> dict:
    address = f"{endpoint}@example.net"
    mail = {"message_id": f"0100{rng.getrandbits(64):016x}-000000", "message_send_timestamp": send_ms,
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
    elif kind == "open":
        event["open"] = {"ip_address": "203.0.113.5", "user_agent": "ua"}
    elif kind in ("click", "unsubscribe"):
        event["click"] = {"ip_address": "203.0.113.5", "user_agent": "ua", "link": "https://example.com/x",
                          "link_tags": {"unsubscribelinktag": ["footer"] if kind == "unsubscribe" else None}}
    elif kind == "rejected":
        event["reject"] = {"reason": "Bad content"}
    return event


def pinpoint_rows(days: int, per_day: int, seed: int = 7, start: datetime = START) -> list[dict]:
    rng = random.Random(seed)
    names = [t for t, _ in LEGACY_TYPES]
    weights = [w for _, w in LEGACY_TYPES]
    rows = []
    for day in range(days):
        day_start = int((start + timedelta(days=day)).timestamp() * 1000)
        for _ in range(per_day):
            rows.append(pinpoint_row(rng, rng.choices(names, weights)[0],
                                     day_start + rng.randint(3_600_000, 86_399_000)))
    return rows


def write_pinpoint_parquet(rows: list[dict], out: Path) -> list[Path]:
    """One Parquet file per ingest hour under events/YYYY/MM/DD/HH/, the seed's layout."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    by_hour: dict[str, list[dict]] = {}
    for row in rows:
        hour = datetime.fromtimestamp(row["arrival_timestamp"] // 1000, tz=timezone.utc).strftime("%Y/%m/%d/%H")
        by_hour.setdefault(hour, []).append(row)
    paths = []
    for hour, hour_rows in sorted(by_hour.items()):
        path = out / "events" / hour / "due-events-1.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(hour_rows, schema=pinpoint_arrow_schema()), path, compression="snappy")
        paths.append(path)
    return paths

"""The canonical `all_events` table: columns and types, partitions, S3 layout, and the record every producer's
event becomes (`canonical_record`).

Partitions: `channel` (email | sms | voice | custom), `kind` (the event type when the contract knows it, else
`other`; see vocabulary.py) and `dt` (yyyy-MM-dd of the EVENT time, UTC). Partition keys are not data columns
(Glue rejects a table whose partition key repeats a column name); Athena and DuckDB expose them from the S3 path.
One-type views filter `kind`, so a day of `email_open` reads one day of open files and nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from .producers import MIN_MS
from .types import arrow_type, duckdb_type
from .vocabulary import CHANNELS, KINDS, partition_kind

TABLE_NAME = "all_events"
EVENTS_PREFIX = "events/"
ERRORS_PREFIX = "errors/"


@dataclass(frozen=True)
class Column:
    name: str
    hive_type: str
    comment: str = ""


RECIPIENT_TYPE = "struct<address:string,status:string,action:string,diagnostic_code:string>"

EVENT_COLUMNS: tuple[Column, ...] = (
    Column("event_id", "string", "sha256 of source + source identity; replays of one event share it"),
    Column("event_source", "string", "ses | sms_voice | app | preference_center | pinpoint_legacy"),
    Column("event_type", "string", "lower_snake: send, bounce, open, text_delivered, text_inbound, ..."),
    Column("status", "string", "normalised outcome, e.g. permanent, delivered, opted_out"),
    Column("status_code", "string", "source status code (SMTP enhanced status, SMS messageStatus)"),
    Column("status_message", "string", "human-readable status from the source"),
    Column("is_final", "boolean", "SMS/voice: the message's final status (isFinal); NULL for other sources"),
    Column("sending_address", "string", "From address, origination number, or the customer's number (inbound)"),
    Column("destination_addresses", "array<string>", "addresses the message went to (or the event concerns)"),
    Column("recipients", f"array<{RECIPIENT_TYPE}>", "per-recipient detail of bounce/complaint/delivery/delay"),
    Column("message_id", "string", "SES message id, SMS message id, inbound message id, or app message id"),
    Column("user_id", "string", "from the user_id tag/context/attribute when the sender set one"),
    Column("campaign_id", "string", "from the campaign tag/context/attribute when the sender set one"),
    Column("account_id", "string", "AWS account that sent the message"),
    Column("configuration_set", "string", "SES or SMS configuration set"),
    Column("country_code", "string", "ISO country code of the destination (SMS/voice)"),
    Column("send_timestamp", "bigint", "epoch ms when the message was sent/requested (mail.timestamp, ...)"),
    Column("event_timestamp", "bigint", "epoch ms when the event happened"),
    Column("arrival_timestamp", "bigint", "epoch ms when the transform saw the record"),
    Column("expiration_timestamp", "bigint", "epoch ms after which SES stops retrying (DeliveryDelay)"),
    Column("tags", "map<string,string>", "message tags; several values of one SES tag joined with ','"),
    Column("metrics", "map<string,double>", "numeric facts: price_usd, message_parts, custom app metrics"),
    Column("channel_data", "map<string,string>", "other documented fields: scalars as text, objects as JSON"),
    Column("raw_event", "string", "the source record, verbatim JSON, only when eventsDatabaseKeepRawEvent is set"),
)

PARTITION_KEYS: tuple[Column, ...] = (
    Column("channel", "string", "email | sms | voice | custom"),
    Column("kind", "string", "event_type when the contract knows it, else other"),
    Column("dt", "string", "yyyy-MM-dd of event_timestamp, UTC"),
)

COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in EVENT_COLUMNS)


def canonical_record(*, event_id: str, event_source: str, event_type: str, event_timestamp: int,
                     arrival_timestamp: int, status: str | None = None, status_code: str | None = None,
                     status_message: str | None = None, is_final: bool | None = None,
                     sending_address: str | None = None, destination_addresses: list[str] | None = None,
                     recipients: list[dict[str, Any]] | None = None, message_id: str | None = None,
                     user_id: str | None = None, campaign_id: str | None = None, account_id: str | None = None,
                     configuration_set: str | None = None, country_code: str | None = None,
                     send_timestamp: int | None = None, expiration_timestamp: int | None = None,
                     tags: dict[str, str] | None = None, metrics: dict[str, float] | None = None,
                     channel_data: dict[str, str] | None = None, raw_event: str | None = None) -> dict[str, Any]:
    """One row of `all_events`, every column present and in table order (a test holds this to EVENT_COLUMNS).
    The transform's high-volume sources (SES, SMS, app events) fill `empty_record()` instead: the same row."""
    return {
        "event_id": event_id, "event_source": event_source, "event_type": event_type, "status": status,
        "status_code": status_code, "status_message": status_message, "is_final": is_final,
        "sending_address": sending_address, "destination_addresses": destination_addresses or [],
        "recipients": recipients or [], "message_id": message_id, "user_id": user_id, "campaign_id": campaign_id,
        "account_id": account_id, "configuration_set": configuration_set, "country_code": country_code,
        "send_timestamp": send_timestamp, "event_timestamp": event_timestamp,
        "arrival_timestamp": arrival_timestamp, "expiration_timestamp": expiration_timestamp,
        "tags": tags or {}, "metrics": metrics or {}, "channel_data": channel_data or {}, "raw_event": raw_event,
    }


_EMPTY_ROW = dict.fromkeys(COLUMN_NAMES)


def empty_record() -> dict[str, Any]:
    """The row canonical_record returns when given only nulls: every column in table order, arrays and maps
    empty (fresh ones). The events transform fills it by assignment, once per record: copying a dict and setting
    keys it already has keeps the column order and costs about half of a 24-key literal or of canonical_record's
    keyword call."""
    row = _EMPTY_ROW.copy()
    row["destination_addresses"] = []
    row["recipients"] = []
    row["tags"] = {}
    row["metrics"] = {}
    row["channel_data"] = {}
    return row


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_DAYS: dict[int, str] = {}


def partition_keys(channel: str, event_type: str, event_ms: int) -> dict[str, str]:
    """Partitions come from the EVENT time (not arrival), so late events land where analysts look."""
    day = event_ms // 86_400_000
    dt = _DAYS.get(day)
    if dt is None:
        dt = _DAYS[day] = date.fromordinal(_EPOCH_ORDINAL + day).isoformat()
    return {"channel": channel, "kind": partition_kind(event_type), "dt": dt}


def partition_projection_parameters(bucket_name: str) -> dict[str, str]:
    """Glue table parameters for Athena partition projection: new partitions are queryable at once,
    with no crawler, no MSCK and no per-file partition Lambda (the seed's design)."""
    return {
        "classification": "parquet",
        "parquet.compression": "GZIP",
        "projection.enabled": "true",
        "projection.channel.type": "enum",
        "projection.channel.values": ",".join(CHANNELS),
        "projection.kind.type": "enum",
        "projection.kind.values": ",".join(KINDS),
        "projection.dt.type": "date",
        "projection.dt.format": "yyyy-MM-dd",
        # From the first day the contract accepts to tomorrow (UTC): an event a client stamped a few hours ahead
        # (clock skew, local time sent without an offset) is queryable at once, not from its day on.
        "projection.dt.range": f"{date.fromordinal(_EPOCH_ORDINAL + MIN_MS // 86_400_000).isoformat()},NOW+1DAYS",
        "projection.dt.interval": "1",
        "projection.dt.interval.unit": "DAYS",
        "storage.location.template": f"s3://{bucket_name}/{EVENTS_PREFIX}"
                                     + "/".join(f"{k.name}=${{{k.name}}}" for k in PARTITION_KEYS) + "/",
    }


def partition_prefix(channel: str, kind: str) -> str:
    """The S3 prefix holding one kind's files (`events/channel=email/kind=delivery/`), whose `dt=` folders say
    which days have events: what a reader that lists the lake instead of querying it needs."""
    return f"{EVENTS_PREFIX}channel={channel}/kind={partition_kind(kind)}/"


def firehose_prefix() -> str:
    """S3 prefix for Firehose dynamic partitioning; the keys come from the transform's metadata."""
    keys = "/".join(f"{c.name}=!{{partitionKeyFromLambda:{c.name}}}" for c in PARTITION_KEYS)
    return f"{EVENTS_PREFIX}{keys}/"


def error_output_prefix() -> str:
    """Failed records (ProcessingFailed from the transform, or format-conversion failures) land here,
    split by Firehose's error type so a bad transform and a bad schema are told apart."""
    return f"{ERRORS_PREFIX}!{{firehose:error-output-type}}/dt=!{{timestamp:yyyy-MM-dd}}/"


def duckdb_columns(include_partitions: bool = False) -> dict[str, str]:
    """DuckDB type per column (for `read_json(columns=...)` and empty tables in tests and tools)."""
    cols = EVENT_COLUMNS + (PARTITION_KEYS if include_partitions else ())
    return {c.name: duckdb_type(c.hive_type) for c in cols}


def arrow_schema(include_partitions: bool = False):
    """pyarrow schema of the Parquet files Firehose writes (data columns; partitions live in the path)."""
    import pyarrow as pa  # lazily: the Pulumi program and the Lambda load this module without pyarrow

    cols = EVENT_COLUMNS + (PARTITION_KEYS if include_partitions else ())
    return pa.schema([pa.field(c.name, arrow_type(c.hive_type)) for c in cols])

"""Building blocks shared by every source's normaliser: the canonical record, ids, times, partitions.

The column list comes from components/events_database/schema.py; a test checks they stay equal. It is
repeated here because the Lambda archive holds only this folder, not the Pulumi components.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

DATA_COLUMNS: tuple[str, ...] = (
    "event_id", "event_source", "event_type", "status", "status_code", "status_message", "sending_address",
    "destination_addresses", "recipients", "message_id", "user_id", "campaign_id", "account_id",
    "configuration_set", "country_code", "event_timestamp", "arrival_timestamp", "tags", "metrics",
    "channel_data", "raw_event",
)
CHANNELS = frozenset({"email", "sms", "voice", "custom"})

# 2000-01-01 .. 2100-01-01: anything outside is a unit mistake (seconds for ms, or microseconds) and would
# land in a partition no one queries, so it is rejected instead.
_MIN_MS, _MAX_MS = 946_684_800_000, 4_102_444_800_000


class NormalizeError(ValueError):
    """A record this transform cannot turn into a canonical event; `reason` becomes a metric dimension."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def make_event_id(source: str, *parts: Any) -> str:
    """Deterministic id from the fields that identify one occurrence, so a replayed record (Firehose
    retry, re-import) gets the same id and analysts can dedupe on it."""
    text = "\x1f".join([source, *["" if p is None else p if type(p) is str else str(p) for p in parts]])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def iso_to_ms(value: Any, field: str) -> int:
    if not isinstance(value, str) or not value:
        raise NormalizeError("missing_field", f"{field} must be an ISO-8601 timestamp")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise NormalizeError("invalid_value", f"{field}={value!r} is not ISO-8601") from exc
    if parsed.tzinfo is None:  # SES always sends Z; a naive time from an app is taken as UTC
        parsed = parsed.replace(tzinfo=timezone.utc)
    return check_ms(int(parsed.timestamp() * 1000), field)


def check_ms(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise NormalizeError("missing_field", f"{field} must be epoch milliseconds")
    ms = int(value)
    if not _MIN_MS <= ms < _MAX_MS:
        raise NormalizeError("invalid_value", f"{field}={value!r} is not epoch ms between 2000 and 2100")
    return ms


def partition_keys(channel: str, event_ms: int) -> dict[str, str]:
    """Partitions come from the EVENT time (not arrival), so late events land where analysts look."""
    when = datetime.fromtimestamp(event_ms // 1000, tz=timezone.utc)
    return {"channel": channel, "dt": f"{when.year:04d}-{when.month:02d}-{when.day:02d}", "hour": f"{when.hour:02d}"}


def str_map(values: Any) -> dict[str, str]:
    """A map<string,string> from any JSON object: nulls dropped, scalars as text, lists joined by ','."""
    if not isinstance(values, dict):
        return {}
    out: dict[str, str] = {}
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, list):
            out[str(key)] = ",".join(str(v) for v in value)
        elif isinstance(value, bool):
            out[str(key)] = "true" if value else "false"
        else:
            out[str(key)] = str(value)
    return out


def num_map(values: dict[str, Any]) -> dict[str, float]:
    """A map<string,double>: non-numeric values are left out rather than failing the whole record."""
    return {k: float(v) for k, v in values.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool)}


def record(**fields: Any) -> dict[str, Any]:
    """A canonical record with every data column present (absent ones NULL or empty), in schema order."""
    out = dict.fromkeys(DATA_COLUMNS)
    out.update(fields)
    if len(out) != len(DATA_COLUMNS):
        raise TypeError(f"not canonical columns: {sorted(set(fields) - set(DATA_COLUMNS))}")
    for name in ("destination_addresses", "recipients"):
        if out[name] is None:
            out[name] = []
    for name in ("tags", "metrics", "channel_data"):
        if out[name] is None:
            out[name] = {}
    return out

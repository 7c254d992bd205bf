"""Helpers for the events-transform tests: source records (AWS-published ones from tests/fixtures/published_events,
hand-written ones beside these tests), Firehose requests, decoded outputs."""
from __future__ import annotations

import base64
import json
from pathlib import Path

EVENTS_DIR = Path(__file__).parent / "events"  # hand-written: shapes no published example covers
PUBLISHED_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "published_events"
ARRIVAL_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z, later than every sample event


def load_event(name: str) -> dict:
    """A record by file name: published by AWS when it is in tests/fixtures/published_events, else hand-written."""
    path = PUBLISHED_DIR / name
    return json.loads((path if path.exists() else EVENTS_DIR / name).read_text())


def firehose_request(*payloads: bytes | str | dict, arrival_ms: int = ARRIVAL_MS) -> dict:
    """A Firehose transformation request; dicts become JSON lines, str is taken as already-base64 data."""
    records = []
    for i, payload in enumerate(payloads):
        if isinstance(payload, dict):
            payload = (json.dumps(payload) + "\n").encode()
        data = payload if isinstance(payload, str) else base64.b64encode(payload).decode()
        records.append({"recordId": f"rec-{i}", "approximateArrivalTimestamp": arrival_ms, "data": data})
    return {"invocationId": "inv-1", "deliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/x",
            "region": "us-east-1", "records": records}


def decode_output(record: dict) -> dict:
    line = base64.b64decode(record["data"]).decode()
    assert line.endswith("\n"), "Firehose concatenates records: each must end with a newline"
    return json.loads(line)


def sns_envelope(message: dict, timestamp: str = "2026-01-02T03:04:05.678Z") -> dict:
    """What an SNS -> Firehose subscription delivers (raw message delivery off), shaped like the published
    envelope in tests/fixtures/published_events/sns_firehose_envelope.json, carrying `message` as its Message."""
    envelope = load_event("sns_firehose_envelope.json")
    envelope.update(Message=json.dumps(message), Timestamp=timestamp)
    return envelope

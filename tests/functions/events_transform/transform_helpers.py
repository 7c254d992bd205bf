"""Helpers for the events-transform tests: sample source events (JSON beside the tests), Firehose requests."""
from __future__ import annotations

import base64
import json
from pathlib import Path





EVENTS_DIR = Path(__file__).parent / "events"
ARRIVAL_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z, later than every sample event


def load_event(name: str) -> dict:
    return json.loads((EVENTS_DIR / name).read_text())


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



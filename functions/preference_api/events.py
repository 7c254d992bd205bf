"""Custom events for the events database (Firehose, one JSON line per event, no PII).

Read-side events (open, read) are emitted here, best effort: losing one must never fail the user's request.
Write-side events (update, unsubscribe, optin) come from the preference_sync stream consumer, so they are
retried with the stream and never lost.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger

logger = Logger(child=True)


def build_event(event_type: str, user_id: str, center_id: str, **attributes: str) -> dict[str, Any]:
    return {
        "event_type": f"preference_center.{event_type}",
        "event_timestamp": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "app_id": "preference-center",
        "user_id": user_id,
        "channel": "custom",
        "attributes": {"preference_center_id": center_id, **{k: str(v) for k, v in attributes.items()}},
        "metrics": {},
    }


def emit(firehose: Any, stream_name: str, event: dict[str, Any]) -> None:
    if not stream_name:
        return  # events database not deployed
    try:
        firehose.put_record(DeliveryStreamName=stream_name,
                            Record={"Data": (json.dumps(event, separators=(",", ":")) + "\n").encode()})
    except Exception:  # noqa: BLE001 - analytics must not break the page; the failure is logged
        logger.warning("could not emit event", extra={"event_type": event["event_type"]}, exc_info=True)

"""Page events for the events database (Firehose, one JSON line per event), built by the events contract.

Read-side events (open, read) are emitted here, best effort: losing one must never fail the user's request.
Change events (opt-in requests, confirmations, updates, unsubscribes) come from the preference_sync stream
consumer, built from the stored change by the same contract, so they are retried with the stream and never lost.
"""
from __future__ import annotations

import json
import time
from typing import Any

from aws_lambda_powertools import Logger

from contracts.events import preference_event

logger = Logger(child=True)


def page_event(action: str, user_id: str, center_id: str, **attributes: str) -> dict[str, Any]:
    """`preference_center.open` or `.read`: no channel, no address (a page visit concerns none)."""
    return preference_event(action, user_id=user_id, center_id=center_id, when=int(time.time() * 1000),
                            **attributes)


def emit(firehose: Any, stream_name: str, action: str, user_id: str, center_id: str, **attributes: str) -> None:
    if not stream_name:
        return  # events database not deployed
    try:
        event = page_event(action, user_id, center_id, **attributes)
        firehose.put_record(DeliveryStreamName=stream_name,
                            Record={"Data": (json.dumps(event, separators=(",", ":")) + "\n").encode()})
    except Exception:  # noqa: BLE001 - analytics must not break the page; the failure is logged
        logger.warning("could not emit event", extra={"event_type": f"preference_center.{action}"}, exc_info=True)

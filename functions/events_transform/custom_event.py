"""Custom application events, Direct-PUT to the events Firehose stream by apps (and the preference center).

The documented format, one JSON object per Firehose record::

    {
      "event_type": "checkout.completed",         # required, 1..128 characters, app-defined
      "event_timestamp": "2026-11-25T08:00:00Z",  # required, ISO-8601 (naive = UTC) or epoch milliseconds
      "app_id": "shop-web",                       # optional
      "user_id": "u-123",                         # optional
      "session_id": "s-9",                        # optional
      "address": "someone@example.com",           # optional: the email address or phone number concerned
      "channel": "custom",                        # optional: "custom" (default), "email" or "sms"
      "campaign_id": "spring-sale",               # optional
      "message_id": "m-1",                        # optional
      "attributes": {"plan": "pro"},              # optional: string -> string
      "metrics": {"basket_value": 42.5}           # optional: string -> number (kept as map<string,double>)
    }

Unknown top-level keys are a schema violation: the record goes to the error prefix instead of losing the
field silently. The preference center emits this format with app_id "preference-center" and event types
`preference_center.open|read|update|unsubscribe`; those are stored with event_source=preference_center.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .canonical import check_ms, make_event_id, record

PREFERENCE_CENTER_APP_ID = "preference-center"
PREFERENCE_CENTER_PREFIX = "preference_center."


class CustomEvent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    event_type: str = Field(min_length=1, max_length=128)
    event_timestamp: int
    app_id: str | None = Field(default=None, max_length=256)
    user_id: str | None = Field(default=None, max_length=256)
    session_id: str | None = Field(default=None, max_length=256)
    address: str | None = Field(default=None, max_length=512)
    channel: Literal["custom", "email", "sms"] = "custom"
    campaign_id: str | None = Field(default=None, max_length=256)
    message_id: str | None = Field(default=None, max_length=256)
    attributes: dict[str, str] = Field(default_factory=dict)
    metrics: dict[str, float] = Field(default_factory=dict)

    @field_validator("event_timestamp", mode="before")
    @classmethod
    def _to_epoch_ms(cls, value: Any) -> int:
        if isinstance(value, str):
            parsed = datetime.fromisoformat(value)  # ValueError -> pydantic ValidationError
            if parsed.tzinfo is None:
                parsed = parsed.replace(tzinfo=timezone.utc)
            value = int(parsed.timestamp() * 1000)
        return check_ms(value, "event_timestamp")

    @field_validator("metrics")
    @classmethod
    def _finite(cls, value: dict[str, float]) -> dict[str, float]:
        if any(v != v or v in (float("inf"), float("-inf")) for v in value.values()):
            raise ValueError("metrics must be finite numbers")
        return value

    @property
    def event_source(self) -> str:
        if self.app_id == PREFERENCE_CENTER_APP_ID or self.event_type.startswith(PREFERENCE_CENTER_PREFIX):
            return "preference_center"
        return "app"


def is_custom(obj: dict[str, Any]) -> bool:
    return "event_type" in obj and not str(obj.get("event_type", "")).startswith("_")


def normalize_custom(obj: dict[str, Any], raw: str, arrival_ms: int) -> tuple[str, dict[str, Any]]:
    event = CustomEvent.model_validate(obj)  # ValidationError is mapped to ProcessingFailed by the handler
    channel_data = {k: v for k, v in (("app_id", event.app_id), ("session_id", event.session_id)) if v}
    canonical = record(
        event_id=make_event_id(event.event_source, event.app_id, event.event_type, event.event_timestamp,
                               event.user_id, event.session_id, event.message_id, event.address,
                               sorted(event.attributes.items())),
        event_source=event.event_source, event_type=event.event_type,
        status=event.attributes.get("status"),
        destination_addresses=[event.address] if event.address else [],
        message_id=event.message_id, user_id=event.user_id, campaign_id=event.campaign_id,
        event_timestamp=event.event_timestamp, arrival_timestamp=arrival_ms,
        tags=dict(event.attributes), metrics=dict(event.metrics), channel_data=channel_data, raw_event=raw,
    )
    return event.channel, canonical

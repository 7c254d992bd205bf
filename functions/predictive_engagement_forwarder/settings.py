"""Environment (parsed once) and AWS clients (created on first use, then reused across invocations)."""
from __future__ import annotations

import functools
import json
import os
from typing import Any

from pydantic import BaseModel, Field, field_validator


class Settings(BaseModel):
    tracking_id: str = Field(alias="TRACKING_ID", min_length=1)
    item_id_sources: tuple[str, ...] = Field(alias="ITEM_ID_SOURCES")
    event_values: dict[str, float] = Field(alias="EVENT_VALUES")
    """Event type -> EVENT_VALUE, for the event types that count."""
    max_attempts: int = Field(6, alias="PUT_EVENTS_MAX_ATTEMPTS", ge=1, le=20)

    @field_validator("item_id_sources", "event_values", mode="before")
    @classmethod
    def _json(cls, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


@functools.cache
def settings() -> Settings:
    return Settings.model_validate(dict(os.environ))


@functools.cache
def client(service: str) -> Any:
    import boto3  # lazy: tests install stubs/moto first, and cold start stays small
    from botocore.config import Config

    # Retries are ours (forward.py): SDK retries would hide throttling from the backoff we control.
    return boto3.client(service, config=Config(retries={"mode": "standard", "max_attempts": 1}))


def reset() -> None:
    settings.cache_clear()
    client.cache_clear()

"""Environment (parsed once per container) and AWS clients (created on first use, reused afterwards).

boto3 is imported lazily: requests for the public config that hit the in-memory cache never pay for it, and
tests can swap the clients by calling `reset()`.
"""
from __future__ import annotations

import functools
import os
from typing import Any

from pydantic import BaseModel, Field


class Settings(BaseModel):
    config_table: str = Field(alias="CONFIG_TABLE", min_length=3)
    preferences_table: str = Field(alias="PREFERENCES_TABLE", min_length=3)
    consent_table: str = Field(alias="CONSENT_TABLE", min_length=3)
    signing_secret_arn: str = Field(alias="SIGNING_SECRET_ARN", min_length=1)
    events_stream_name: str = Field(default="", alias="EVENTS_STREAM_NAME")
    page_base_url: str = Field(alias="PAGE_BASE_URL", pattern=r"^https?://[^/\s]+$")


@functools.cache
def settings() -> Settings:
    return Settings.model_validate(dict(os.environ))


@functools.cache
def client(service: str) -> Any:
    import boto3  # lazy: keeps cold start close to a bare boto3 import

    return boto3.client(service)


def reset() -> None:
    settings.cache_clear()
    client.cache_clear()

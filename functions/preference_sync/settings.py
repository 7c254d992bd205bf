"""Environment (parsed once) and AWS clients (created on first use, then reused across invocations)."""
from __future__ import annotations

import functools
import os
from typing import Any

from pydantic import BaseModel, Field


class Settings(BaseModel):
    preferences_table: str = Field(alias="PREFERENCES_TABLE", min_length=3)
    audience_table: str = Field(alias="AUDIENCE_TABLE", min_length=3)
    config_table: str = Field(alias="CONFIG_TABLE", min_length=3)
    contact_list_name: str = Field(alias="CONTACT_LIST_NAME", min_length=1)
    opt_out_list_name: str = Field(alias="OPT_OUT_LIST_NAME", min_length=1)
    addresses_table: str = Field(alias="ADDRESSES_TABLE", min_length=3)
    events_stream_name: str = Field(default="", alias="EVENTS_STREAM_NAME")


@functools.cache
def settings() -> Settings:
    return Settings.model_validate(dict(os.environ))


_overrides: dict[str, Any] = {}


def client(service: str) -> Any:
    """The shared client for `service` (an override installed with `use_client` first: local modes, tests)."""
    return _overrides.get(service) or _boto3_client(service)


@functools.cache
def _boto3_client(service: str) -> Any:
    import boto3  # lazy: keeps cold start close to a bare boto3 import, and tests install moto first

    return boto3.client(service)


def use_client(service: str, replacement: Any) -> None:
    """Serve `service` from `replacement` (e.g. tools.sms_voice_fake where moto lacks the service)."""
    _overrides[service] = replacement


def reset() -> None:
    settings.cache_clear()
    _boto3_client.cache_clear()
    _overrides.clear()

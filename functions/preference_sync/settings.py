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
    events_stream_name: str = Field(default="", alias="EVENTS_STREAM_NAME")


@functools.cache
def settings() -> Settings:
    return Settings.model_validate(dict(os.environ))


@functools.cache
def client(service: str) -> Any:
    import boto3  # lazy: tests install stubs/moto first, and cold start stays small

    return boto3.client(service)


def reset() -> None:
    settings.cache_clear()
    client.cache_clear()

"""Environment (parsed once) and AWS clients (created on first use, then reused across invocations)."""
from __future__ import annotations

import functools
import os
from typing import Any

from pydantic import BaseModel, Field


class Settings(BaseModel):
    campaign_arn: str = Field(alias="CAMPAIGN_ARN", pattern=r"^arn:aws[a-z-]*:personalize:.+:campaign/.+$")
    filter_arn: str = Field("", alias="FILTER_ARN")
    recommendation_count: int = Field(10, alias="RECOMMENDATION_COUNT", ge=1, le=500)
    preferences_table: str = Field("", alias="PREFERENCES_TABLE")


@functools.cache
def settings() -> Settings:
    return Settings.model_validate(dict(os.environ))


@functools.cache
def client(service: str) -> Any:
    import boto3  # lazy: tests install stubs/moto first, and cold start stays small
    from botocore.config import Config

    return boto3.client(service, config=Config(connect_timeout=2, read_timeout=5, retries={"max_attempts": 2}))


def reset() -> None:
    settings.cache_clear()
    client.cache_clear()

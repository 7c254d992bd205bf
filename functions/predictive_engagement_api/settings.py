"""Environment (parsed once) and AWS clients (created on first use, then reused across invocations)."""
from __future__ import annotations

import functools
import os
from typing import Any

from pydantic import BaseModel, Field, model_validator


class Settings(BaseModel):
    campaign_arn: str = Field(alias="CAMPAIGN_ARN", pattern=r"^arn:aws[a-z-]*:personalize:.+:campaign/.+$")
    filter_arn: str = Field("", alias="FILTER_ARN")
    recommendation_count: int = Field(10, alias="RECOMMENDATION_COUNT", ge=1, le=500)
    preferences_table: str = Field("", alias="PREFERENCES_TABLE")
    category_map: str = Field("", alias="CATEGORY_MAP")
    """contracts.category_consent.CategoryMap as JSON; '' = no category filter."""

    @model_validator(mode="after")
    def _category_filter_needs_its_inputs(self) -> "Settings":
        if self.category_map and not (self.preferences_table and self.filter_arn):
            raise ValueError("CATEGORY_MAP is set but PREFERENCES_TABLE or FILTER_ARN is not")
        return self


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

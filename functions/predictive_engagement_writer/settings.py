"""Environment (parsed once) and AWS clients (created on first use, then reused across invocations)."""
from __future__ import annotations

import functools
import os
from typing import Any

from pydantic import BaseModel, Field, model_validator


class Settings(BaseModel):
    profile_table: str = Field(alias="PROFILE_TABLE", min_length=3)
    recommendation_count: int = Field(10, alias="RECOMMENDATION_COUNT", ge=1, le=500)
    preferences_table: str = Field("", alias="PREFERENCES_TABLE")
    """The preference center's preferences table (contracts.category_consent); '' = none."""
    events_stream_name: str = Field("", alias="EVENTS_STREAM_NAME")
    customer_profiles_domain: str = Field("", alias="CUSTOMER_PROFILES_DOMAIN")
    customer_profiles_object_type: str = Field("EngagementRecommendations", alias="CUSTOMER_PROFILES_OBJECT_TYPE")
    max_bad_lines: int = Field(0, alias="MAX_BAD_LINES", ge=0)
    category_map: str = Field("", alias="CATEGORY_MAP")
    """contracts.category_consent.CategoryMap as JSON; '' = no category filter."""
    items_catalogue: str = Field("", alias="ITEMS_CATALOGUE", pattern=r"^(s3://[a-z0-9.\-]{3,63}/.+\.csv)?$")
    keep_uncategorised_items: bool = Field(False, alias="KEEP_UNCATEGORISED_ITEMS")

    @model_validator(mode="after")
    def _category_filter_needs_its_inputs(self) -> "Settings":
        if self.category_map and not (self.preferences_table and self.items_catalogue):
            raise ValueError("CATEGORY_MAP is set but PREFERENCES_TABLE or ITEMS_CATALOGUE is not")
        return self


@functools.cache
def settings() -> Settings:
    return Settings.model_validate(dict(os.environ))


@functools.cache
def client(service: str) -> Any:
    import boto3  # lazy: tests install stubs/moto first, and cold start stays small
    from botocore.config import Config

    # Adaptive retries: throttled batch writes back off instead of failing the run.
    return boto3.client(service, config=Config(retries={"mode": "adaptive", "max_attempts": 10}))


def reset() -> None:
    settings.cache_clear()
    client.cache_clear()

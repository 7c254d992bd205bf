"""Environment (parsed once) and AWS clients (created on first use, then reused across invocations)."""
from __future__ import annotations

import functools
import os
from typing import Any

from pydantic import BaseModel, Field, model_validator


class Settings(BaseModel):
    bucket: str = Field(alias="WORK_BUCKET", min_length=3)
    run_prefix: str = Field("predictive-engagement/runs/", alias="RUN_PREFIX", pattern=r"^[a-z0-9\-/]+/$")
    interactions_select: str = Field("", alias="INTERACTIONS_SELECT")
    """The interactions SELECT rendered by the stack (sql/predictive_engagement/interactions.sql)."""
    preferences_table: str = Field("", alias="PREFERENCES_TABLE")
    category_map: str = Field("", alias="CATEGORY_MAP")
    """contracts.category_consent.CategoryMap as JSON; '' = no category filter."""

    @model_validator(mode="after")
    def _consent_needs_the_table(self) -> "Settings":
        if self.category_map and not self.preferences_table:
            raise ValueError("CATEGORY_MAP is set but PREFERENCES_TABLE is not")
        return self


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

"""Environment (parsed once) and AWS clients (created on first use, then reused across invocations)."""
from __future__ import annotations

import functools
import os
from typing import Any

from pydantic import BaseModel, Field


class Settings(BaseModel):
    bucket: str = Field(alias="WORK_BUCKET", min_length=3)
    run_prefix: str = Field("predictive-engagement/runs/", alias="RUN_PREFIX", pattern=r"^[a-z0-9\-/]+/$")
    interactions_select: str = Field("", alias="INTERACTIONS_SELECT")
    """The interactions SELECT rendered by the stack (sql/predictive_engagement/interactions.sql)."""


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

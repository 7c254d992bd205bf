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
    addresses_table: str = Field(alias="ADDRESSES_TABLE", min_length=3)
    max_link_ttl_days: int = Field(default=30, alias="MAX_LINK_TTL_DAYS", ge=1)
    sms_origination_identity: str = Field(default="", alias="SMS_ORIGINATION_IDENTITY")
    """End User Messaging phone number / pool / sender id ARN for SMS confirmations ('' = SMS cannot be added)."""
    origin_verify_secret_arn: str = Field(default="", alias="ORIGIN_VERIFY_SECRET_ARN")
    """Secret holding the header value CloudFront adds to every API request ('' = local development only)."""


# What the event-driven handlers (sms_keywords, ses_subscriptions) share besides their settings: how often one
# owner's transaction is retried on a write conflict, and the namespace of their own metrics.
OWNER_EVENT_ATTEMPTS = 3
OWNER_EVENT_METRICS_NAMESPACE = "engagement/preference-center"


class OwnerEventSettings(BaseModel):
    """What the event-driven handlers (sms_keywords, ses_subscriptions) share: the owner's record, its consent
    log, the address registry and the stack's preference centers."""
    preferences_table: str = Field(alias="PREFERENCES_TABLE", min_length=3)
    consent_table: str = Field(alias="CONSENT_TABLE", min_length=3)
    addresses_table: str = Field(alias="ADDRESSES_TABLE", min_length=3)
    center_ids: str = Field(alias="PREFERENCE_CENTER_IDS", min_length=1)
    """Comma-separated: the preference centers of this stack (an address's owner is looked up in each)."""

    @property
    def center_id_list(self) -> list[str]:
        return [c.strip() for c in self.center_ids.split(",") if c.strip()]


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

"""A preference center's configuration as the API needs it, read from the config table.

The document was validated in full at deploy time (preference_center/config.py); here we only parse the parts
that drive request validation and keep it in memory for a minute so a page load costs one DynamoDB read at most.
"""
from __future__ import annotations

import json
import re
import threading
import time
from typing import Any, Literal

from pydantic import BaseModel

from .errors import CenterNotFound

CENTER_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
CACHE_SECONDS = 60

Channel = Literal["EMAIL", "SMS"]


class ChannelRules(BaseModel):
    pattern: str | None = None
    max_length: int = 254


class ChannelConfig(BaseModel):
    id: Channel
    required: bool = False
    validation: ChannelRules = ChannelRules()


class Publication(BaseModel):
    id: str
    channels: list[Channel]


class Category(BaseModel):
    id: str
    publications: list[Publication]


class AttributeRules(BaseModel):
    pattern: str | None = None
    min_length: int = 0
    max_length: int = 500
    options: list[str] = []


class Attribute(BaseModel):
    id: str
    input_type: Literal["text", "radio", "select", "checkbox"]
    required: bool = False
    validation: AttributeRules = AttributeRules()


class UnsubscribeAll(BaseModel):
    enabled: bool


class Confirmation(BaseModel):
    email_from: str | None = None
    ttl_hours: int = 48
    max_per_address_per_day: int = 3


class CenterConfig(BaseModel):
    id: str
    default_language: str
    languages: list[str]
    link_ttl_days: int = 30
    unsubscribe_all: UnsubscribeAll
    confirmation: Confirmation = Confirmation()
    channels: list[ChannelConfig]
    categories: list[Category]
    attributes: list[Attribute]
    text: dict[str, dict[str, Any]]

    def publication(self, publication_id: str) -> Publication | None:
        return next((p for c in self.categories for p in c.publications if p.id == publication_id), None)

    def channel(self, channel_id: str) -> ChannelConfig | None:
        return next((c for c in self.channels if c.id == channel_id), None)

    def attribute(self, attribute_id: str) -> Attribute | None:
        return next((a for a in self.attributes if a.id == attribute_id), None)

    def pick_language(self, *candidates: str | None) -> str:
        for candidate in candidates:
            if not candidate:
                continue
            for option in (candidate, candidate.split("-")[0]):
                if option in self.languages:
                    return option
        return self.default_language


class LoadedCenter(BaseModel):
    config: CenterConfig
    document: dict[str, Any]
    version: int


_cache: dict[str, tuple[float, LoadedCenter]] = {}
_lock = threading.Lock()


def load_center(center_id: str, table: str, dynamodb: Any) -> LoadedCenter:
    if not CENTER_ID.match(center_id):
        raise CenterNotFound(center_id)
    with _lock:
        cached = _cache.get(center_id)
        if cached and time.monotonic() - cached[0] < CACHE_SECONDS:
            return cached[1]
    item = dynamodb.get_item(TableName=table, Key={"preference_center_id": {"S": center_id}}).get("Item")
    if not item:
        raise CenterNotFound(center_id)
    document = json.loads(item["config"]["S"])
    loaded = LoadedCenter(config=CenterConfig.model_validate(document), document=document,
                          version=int(item.get("version", {}).get("N", "0")))
    with _lock:
        _cache[center_id] = (time.monotonic(), loaded)
    return loaded


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def public_config(loaded: LoadedCenter, language: str | None) -> dict[str, Any]:
    """What the page needs. The config holds no secrets (the signing key lives in Secrets Manager)."""
    document = dict(loaded.document)
    if language:
        chosen = loaded.config.pick_language(language)
        document["text"] = {chosen: document["text"][chosen]}
        document["language"] = chosen
    document["config_version"] = loaded.version
    return document

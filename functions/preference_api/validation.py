"""Request bodies (pydantic, shape only) and their validation against one center's configuration.

Values are stored as plain text and never interpreted as HTML anywhere (the page uses textContent), so markup is
not "sanitised" away; control characters are rejected because no legitimate form input contains them.
"""
from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints
from pydantic import ValidationError as PydanticValidationError

from .center import CenterConfig
from .errors import ValidationFailed, field_error

Text = Annotated[str, StringConstraints(max_length=500, strict=True)]
Key = Annotated[str, StringConstraints(max_length=64, strict=True)]

EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
E164 = re.compile(r"^\+[1-9][0-9]{7,14}$")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class PreferencesBody(BaseModel):
    """PUT body: the whole form, replacing what is stored (the page always sends everything)."""

    model_config = ConfigDict(extra="forbid")
    version: StrictInt = Field(ge=0, le=10**9)
    addresses: dict[Key, Text | None] = Field(default_factory=dict, max_length=4)
    attributes: dict[Key, Text | Annotated[list[Text], Field(max_length=50)]] = Field(default_factory=dict,
                                                                                        max_length=100)
    subscriptions: dict[Key, Annotated[list[Key], Field(max_length=4)]] = Field(default_factory=dict,
                                                                               max_length=200)
    unsubscribed_all: StrictBool = False
    language: Key | None = None


class OptInBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    addresses: dict[Key, Text | None] = Field(max_length=4)
    attributes: dict[Key, Text | Annotated[list[Text], Field(max_length=50)]] = Field(default_factory=dict,
                                                                                        max_length=100)
    subscriptions: dict[Key, Annotated[list[Key], Field(max_length=4)]] = Field(default_factory=dict,
                                                                               max_length=200)
    language: Key | None = None


class ConfirmBody(BaseModel):
    """POST /optin with a confirm token: the token says everything, the body must be `{}`."""

    model_config = ConfigDict(extra="forbid")


def parse_body(model: type[BaseModel], data: Any) -> Any:
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        fields = {}
        for error in exc.errors():
            path = ".".join(str(part) for part in error["loc"]) or "body"
            fields[path] = field_error("invalid" if error["type"] != "extra_forbidden" else "unknown",
                                       error["msg"])
        raise ValidationFailed(fields) from None


def normalise(config: CenterConfig, body: PreferencesBody | OptInBody) -> dict[str, Any]:
    """Check a body against the config; return the stored form or raise ValidationFailed naming every field."""
    errors: dict[str, dict[str, str]] = {}
    addresses = _addresses(config, body.addresses, errors)
    attributes = _attributes(config, body.attributes, errors)
    unsubscribed_all = bool(getattr(body, "unsubscribed_all", False))
    if unsubscribed_all and not config.unsubscribe_all.enabled:
        errors["unsubscribed_all"] = field_error("unknown", "unsubscribe-all is not enabled for this center")
    # Unsubscribing from everything wins over ticked boxes: the user's strongest statement is kept.
    subscriptions = {} if unsubscribed_all else _subscriptions(config, body.subscriptions, addresses, errors)
    if body.language is not None and body.language not in config.languages:
        errors["language"] = field_error("option", f"language must be one of {config.languages}")
    if errors:
        raise ValidationFailed(errors)
    return {"addresses": addresses, "attributes": attributes, "subscriptions": subscriptions,
            "unsubscribed_all": unsubscribed_all, "language": body.language or config.default_language}


def _addresses(config: CenterConfig, given: dict[str, str | None], errors: dict) -> dict[str, str]:
    addresses: dict[str, str] = {}
    for channel_id, raw in given.items():
        channel = config.channel(channel_id)
        if channel is None:
            errors[f"addresses.{channel_id}"] = field_error("unknown", "channel is not offered")
            continue
        value = (raw or "").strip()
        if not value:
            continue
        where = f"addresses.{channel_id}"
        if channel.id == "EMAIL" and not EMAIL.match(value):
            errors[where] = field_error("email", "not a valid email address")
        elif channel.id == "SMS" and not E164.match(value):
            errors[where] = field_error("phone", "not an E.164 phone number such as +12065550199")
        elif len(value) > channel.validation.max_length:
            errors[where] = field_error("max_length", f"longer than {channel.validation.max_length}")
        elif channel.validation.pattern and not re.search(channel.validation.pattern, value):
            errors[where] = field_error("pattern", "not accepted by this preference center")
        else:
            addresses[channel.id] = value.lower() if channel.id == "EMAIL" else value
    for channel in config.channels:
        if channel.required and channel.id not in addresses and f"addresses.{channel.id}" not in errors:
            errors[f"addresses.{channel.id}"] = field_error("required", "required")
    return addresses


def _attributes(config: CenterConfig, given: dict[str, Any], errors: dict) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    for attribute_id, value in given.items():
        attribute = config.attribute(attribute_id)
        where = f"attributes.{attribute_id}"
        if attribute is None:
            errors[where] = field_error("unknown", "attribute is not configured")
            continue
        rules = attribute.validation
        if attribute.input_type == "checkbox":
            if not isinstance(value, list) or any(v not in rules.options for v in value) \
                    or len(set(value)) != len(value):
                errors[where] = field_error("option", f"each value must be one of {rules.options}")
            elif value:
                attributes[attribute_id] = value
            continue
        if not isinstance(value, str):
            errors[where] = field_error("invalid", "must be a single value")
            continue
        value = value.strip()
        if not value:
            continue
        if attribute.input_type in ("radio", "select"):
            if value not in rules.options:
                errors[where] = field_error("option", f"must be one of {rules.options}")
                continue
        elif CONTROL.search(value):
            errors[where] = field_error("pattern", "contains control characters")
            continue
        elif len(value) < rules.min_length:
            errors[where] = field_error("min_length", f"shorter than {rules.min_length}")
            continue
        elif len(value) > rules.max_length:
            errors[where] = field_error("max_length", f"longer than {rules.max_length}")
            continue
        elif rules.pattern and not re.search(rules.pattern, value):
            errors[where] = field_error("pattern", "contains characters that are not allowed")
            continue
        attributes[attribute_id] = value
    for attribute in config.attributes:
        where = f"attributes.{attribute.id}"
        if attribute.required and attribute.id not in attributes and where not in errors:
            errors[where] = field_error("required", "required")
    return attributes


def _subscriptions(config: CenterConfig, given: dict[str, list[str]], addresses: dict[str, str],
                   errors: dict) -> dict[str, list[str]]:
    subscriptions: dict[str, list[str]] = {}
    for publication_id, channels in given.items():
        publication = config.publication(publication_id)
        where = f"subscriptions.{publication_id}"
        if publication is None:
            errors[where] = field_error("unknown", "publication is not configured")
            continue
        not_offered = [c for c in channels if c not in publication.channels]
        if not_offered:
            errors[where] = field_error("unknown", f"channel(s) {not_offered} not offered for this publication")
            continue
        missing = [c for c in channels if c not in addresses]
        if missing:
            errors[where] = field_error("required", f"subscribing by {missing} needs that address")
            continue
        if channels:
            # Stored in the configured order so equal choices always compare (and diff) equal.
            subscriptions[publication_id] = [c for c in publication.channels if c in channels]
    return subscriptions

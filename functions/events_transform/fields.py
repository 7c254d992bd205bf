"""The one rule every source follows for fields without a column of their own (`channel_data`, `tags`):
scalars as text (booleans `true`/`false`), objects and arrays as compact JSON, nulls and empty values left out.
Numbers that are measurements go to `metrics` (map<string,double>) instead."""
from __future__ import annotations

import re
from typing import Any

import orjson

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_SNAKE: dict[str, str] = {}


def snake(name: str) -> str:
    """camelCase -> camel_case (cached: the same few field names come by every record)."""
    spelled = _SNAKE.get(name)
    if spelled is None:
        spelled = _SNAKE[name] = _CAMEL.sub("_", name).lower()
    return spelled


def text(value: Any) -> str | None:
    if value is None or value == "" or value == {} or value == []:
        return None
    kind = type(value)
    if kind is str:
        return value
    if kind is bool:
        return "true" if value else "false"
    if kind is int or kind is float:
        return str(value)
    return orjson.dumps(value).decode()


def text_map(values: dict[str, Any]) -> dict[str, str]:
    """channel_data from a dict of already-named fields. (Strings and booleans, the common cases, skip the call
    to text(): this runs for every record.)"""
    out = {}
    for key, value in values.items():
        if type(value) is str:
            if value:
                out[key] = value
        elif value is None:
            continue
        elif value is True:  # booleans (SES headersTruncated, SMS isInternationalSend) come by every record too
            out[key] = "true"
        elif value is False:
            out[key] = "false"
        else:
            put(out, key, value)
    return out


def put(out: dict[str, str], key: str, value: Any) -> None:
    """out[key] = text(value) unless that is None."""
    spelled = text(value)
    if spelled is not None:
        out[key] = spelled


def tag_map(values: Any) -> dict[str, str]:
    """A sender's tags/context/attributes: string -> string, lists joined by ',' (SES tags are lists)."""
    if type(values) is not dict:
        return {}
    out = {}
    for key, value in values.items():
        kind = type(value)
        if kind is list:
            if value:
                try:  # JSON strings only (the usual case): join them as they are; a one-string list is that string
                    out[key] = ",".join(value)
                except TypeError:
                    out[key] = ",".join([v if type(v) is str else str(v) for v in value])
        elif kind is str:
            out[key] = value
        elif value is not None:
            put(out, key, value)
    return out


def num_map(values: dict[str, Any]) -> dict[str, float]:
    """map<string,double>: non-numeric values are left out rather than failing the whole record."""
    return {k: float(v) for k, v in values.items() if type(v) is int or type(v) is float}

"""Turns one Firehose record's bytes into (partition keys, canonical JSON line), whatever its source."""
from __future__ import annotations

from binascii import a2b_base64
from typing import Any

import orjson  # 3-5x faster than json both ways; JSON handling is most of the per-record cost
# SIMD base64 (AVX2/AVX-512 on x86, NEON on Graviton): 4x faster than binascii both ways, and base64 is a fifth of
# the per-record cost. What it refuses goes to binascii's strict mode, so the accepted set stays the stdlib's (tested).
from pybase64 import b64decode, b64encode_as_string

from contracts.events import InvalidEvent, partition_keys

from .custom_event import app_event_normalizer, is_custom, normalize_custom
from .legacy import is_pinpoint_legacy, normalize_pinpoint
from .ses import is_ses, normalize_ses
from .sms import is_inbound_sms, is_sms_voice, is_sns_envelope, normalize_inbound, normalize_sms, normalize_sns

# Order matters only where shapes could overlap: SES has `mail`, End User Messaging has TEXT_/MEDIA_/VOICE_
# eventType, SNS wraps two-way SMS, Pinpoint's event_type starts with "_", a custom event's does not.
_MESSAGING_SOURCES = ((is_ses, normalize_ses), (is_sms_voice, normalize_sms), (is_sns_envelope, normalize_sns),
                      (is_inbound_sms, normalize_inbound))
_APP_SOURCES = ((is_pinpoint_legacy, normalize_pinpoint), (is_custom, normalize_custom))
_SOURCES = _MESSAGING_SOURCES + _APP_SOURCES


def _normalizer(obj: dict[str, Any]):
    # Each messaging shape needs one of these keys: a record with none of them (an app event) skips their checks.
    messaging = "eventType" in obj or "notificationType" in obj or "Type" in obj or "inboundMessageId" in obj
    for matches, normalize in (_SOURCES if messaging else _APP_SOURCES):
        if matches(obj):
            return normalize
    raise InvalidEvent("unknown_shape", f"no source matches keys {sorted(map(str, obj))[:10]}")


# (channel, event_type, UTC day) -> the output's {"partitionKeys": {...}}, one shared dict for every record of
# that partition (Firehose only reads it). A batch spans a few channels, types and days, so this stays small;
# emptied at 4096 entries so a warm Lambda never grows with the traffic it has seen.
_METADATA: dict[tuple[str, str, int], dict[str, dict[str, str]]] = {}
_METADATA_LIMIT = 4096


def _strict_stdlib_decode(data_b64: str) -> bytes:
    try:
        return a2b_base64(data_b64, strict_mode=True)
    except ValueError as exc:
        raise InvalidEvent("not_base64", str(exc)) from exc


def transform_data(data_b64: str, arrival_ms: int, keep_raw: bool = False,
                   app_only: bool = False) -> tuple[dict[str, str], str]:
    """Base64 record in -> (partition keys, base64 of one JSON line) out; raises InvalidEvent."""
    metadata, line = transform_record(data_b64, arrival_ms, keep_raw, app_only)
    return dict(metadata["partitionKeys"]), line


def transform_record(data_b64: str, arrival_ms: int, keep_raw: bool = False,
                     app_only: bool = False) -> tuple[dict, str]:
    """Base64 record in -> (the output record's metadata, base64 of one JSON line) out; raises InvalidEvent. The
    metadata dict is shared with other records of the same partition: it must not be changed. (One function for
    the whole record: the handler calls it once per record, and each call level costs.) `app_only`: the
    application stream's transform, which takes custom app events only (custom_event.app_event_normalizer)."""
    try:
        payload = b64decode(data_b64, validate=True)  # strict: only the alphabet, correct padding
    except ValueError:  # binascii.Error, or a str with non-ASCII characters
        payload = _strict_stdlib_decode(data_b64)  # the rule stays binascii's (it accepts a few more, e.g. 'QUJD=')
    try:
        obj = orjson.loads(payload)  # validates UTF-8 itself; rejects NaN/Infinity and integers beyond 64 bits
    except orjson.JSONDecodeError as exc:
        reason = "not_utf8" if "utf-8" in str(exc).lower() else "not_json"
        raise InvalidEvent(reason, str(exc)) from exc
    if type(obj) is not dict:
        raise InvalidEvent("not_an_object", f"top-level JSON is {type(obj).__name__}")
    if app_only:
        normalize = app_event_normalizer(obj)
    # SES records are most of the traffic: recognise them (is_ses, inlined) without walking the list
    elif type(obj.get("mail")) is dict and ("eventType" in obj or "notificationType" in obj):
        normalize = normalize_ses
    else:
        normalize = _normalizer(obj)
    try:
        channel, canonical = normalize(obj, arrival_ms)
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        if isinstance(exc, InvalidEvent):
            raise
        # a documented field holding the wrong JSON type (e.g. a list where an object belongs)
        raise InvalidEvent("schema_violation", f"{type(exc).__name__}: {exc}") from exc
    event_type, event_ms = canonical["event_type"], canonical["event_timestamp"]
    metadata = _METADATA.get((channel, event_type, event_ms // 86_400_000))
    if metadata is None:
        if len(_METADATA) >= _METADATA_LIMIT:
            _METADATA.clear()
        metadata = _METADATA[channel, event_type, event_ms // 86_400_000] = {
            "partitionKeys": partition_keys(channel, event_type, event_ms)}
    if keep_raw:
        canonical["raw_event"] = payload.decode("utf-8").strip()
    try:
        line = orjson.dumps(canonical, option=orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError as exc:  # e.g. an integer beyond 64 bits copied from the source
        raise InvalidEvent("invalid_value", str(exc)) from exc
    return metadata, b64encode_as_string(line)

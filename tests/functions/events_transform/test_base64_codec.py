"""The transform's SIMD base64 (pybase64) accepts and writes exactly what the standard library does: a record is
refused as not_base64 exactly when binascii's strict mode refuses it, and every output's `data` is the stdlib's
encoding of the same line."""
from __future__ import annotations

import base64
import binascii
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts.events import InvalidEvent
from functions.events_transform.normalize import transform_record

from transform_helpers import ARRIVAL_MS

EVENT = {"event_type": "page.view", "event_timestamp": 1767225600000, "app_id": "shop-web", "user_id": "u-1"}
# The base64 alphabet, padding, and what a broken producer puts in: the URL-safe alphabet, whitespace and line
# breaks, NUL, non-ASCII letters.
NEAR_BASE64 = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ \n\r\t\x00é",
                      max_size=40)


def _stdlib_decode(text: str) -> bytes | None:
    try:
        return binascii.a2b_base64(text, strict_mode=True)
    except ValueError:
        return None


@settings(max_examples=2000, deadline=None)
@given(NEAR_BASE64)
def test_refused_as_not_base64_exactly_when_binascii_strict_refuses(text):
    expected = _stdlib_decode(text)
    try:
        transform_record(text, ARRIVAL_MS)
    except InvalidEvent as exc:
        assert (exc.reason == "not_base64") == (expected is None), (text, exc.reason)
    else:
        assert expected is not None, text


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=64))
def test_valid_base64_of_any_bytes_is_decoded_as_the_stdlib_does(payload):
    # any bytes: most are not JSON, so the record fails later than base64, never as not_base64
    try:
        transform_record(base64.b64encode(payload).decode(), ARRIVAL_MS)
    except InvalidEvent as exc:
        assert exc.reason != "not_base64"


@pytest.mark.parametrize("user_id", ["u-1", "ü" * 7, "x" * 256, "a\nb\"c\\d"])
def test_output_data_is_the_stdlib_encoding_of_the_line(user_id):
    _, data = transform_record(base64.b64encode(json.dumps(EVENT | {"user_id": user_id}).encode()).decode(),
                               ARRIVAL_MS)
    line = base64.b64decode(data, validate=True)
    assert base64.b64encode(line).decode() == data
    assert line.endswith(b"\n") and json.loads(line)["user_id"] == user_id

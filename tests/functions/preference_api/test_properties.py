"""Fuzz: whatever the route, method, body, content type, token or headers, the API never answers 5xx, and a
rejected request leaves every table as it was and sends no message."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tools import preference_seed

from .conftest import table_snapshot
from .test_handler import valid_body

CENTER = "/api/centers/default"
EXAMPLES = 500
# Text that reaches every odd corner: non-ASCII, control characters, surrogates, RTL marks, NUL.
odd_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40) | st.sampled_from(
    ["é", "\u0000", "\x7f", "\u202e", "\ud800", "😀", "\r\n", "%00", "../", "<script>", "' OR 1=1 --"])
# Query strings and headers reach the handler decoded from UTF-8, so they never hold lone surrogates.
wire_text = odd_text.filter(lambda t: not any(0xD800 <= ord(c) <= 0xDFFF for c in t))
huge_numbers = st.integers(-10**40, 10**40) | st.sampled_from([10**4000, -(2**63), 2**64, 1e308, -0.0])
json_scalars = st.none() | st.booleans() | huge_numbers | st.floats(allow_nan=False) | odd_text
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(odd_text, inner, max_size=4), max_leaves=12)
field_names = st.sampled_from(["version", "addresses", "attributes", "subscriptions", "unsubscribed_all",
                               "language", "EMAIL", "SMS", "first_name", "runners-monthly", "x"]) | odd_text
mutated_bodies = st.builds(lambda base, key, value: {**base, key: value}, st.just(valid_body()), field_names,
                           json_values)
nested_mutations = st.builds(
    lambda section, key, value: {**valid_body(), section: {**valid_body()[section], key: value}},
    st.sampled_from(["addresses", "attributes", "subscriptions"]), field_names, json_values)
deep_nesting = st.integers(5, 6000).map(lambda depth: "[" * depth + "]" * depth) | st.integers(5, 3000).map(
    lambda depth: '{"a":' * depth + "1" + "}" * depth)
# The whole valid form from a stale page (the record is at version 0): refused with 409 after validation.
stale_versions = st.integers(1, 3).map(lambda version: valid_body(version))
# A name repeated in the body (json.loads would keep the last value silently).
repeated_keys = st.builds(lambda key, value: json.dumps(valid_body())[:-1] + f", {json.dumps(key)}: "
                          + json.dumps(value) + "}", st.sampled_from(sorted(valid_body())), json_values)
bodies = ((mutated_bodies | nested_mutations | stale_versions | json_values).map(lambda v: json.dumps(v, ensure_ascii=False))
          | repeated_keys | deep_nesting | odd_text | st.sampled_from(["List-Unsubscribe=One-Click", "", "{}", "1e999999"]))
content_types = st.sampled_from([
    "application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=XyZ", "multipart/form-data; boundary=é", "multipart/form-data",
    "application/xml", "APPLICATION/JSON", "", "*/*", "application/json; boundary=\u2603"]) | wire_text
header_names = st.sampled_from(["accept", "accept-language", "user-agent", "x-forwarded-for",
                                "cloudfront-viewer-address", "cookie", "authorization"])
headers = st.dictionaries(header_names, wire_text, max_size=3)
queries = st.dictionaries(st.sampled_from(["lang", "token", "pc", "x"]) | wire_text.filter(bool), wire_text,
                          max_size=3)
methods = st.sampled_from(["GET", "HEAD", "PUT", "POST", "PATCH", "DELETE", "OPTIONS"])
paths = st.sampled_from(["/config", "/preferences", "/optin", "/unsubscribe", "/nothing"]).map(
    lambda p: CENTER + p) | st.sampled_from(["/api/centers/%C3%A9/config", "/api/centers/" + "a" * 300 + "/optin",
                                             "/api", "/api/centers//preferences", "/"])
token_kinds = st.sampled_from(["manage", "unsubscribe", "confirm", "garbage", "non-ascii", None])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                      HealthCheck.too_slow])
@given(method=methods, path=paths, body=bodies, content_type=content_types, extra_headers=headers, query=queries,
       token_kind=token_kinds, base64_body=st.booleans(), with_origin=st.booleans() | st.just(True))
def test_never_5xx_and_rejections_store_nothing(call, sign, stack, method, path, body, content_type,
                                                extra_headers, query, token_kind, base64_body, with_origin):
    names = stack["names"]
    tables = (names.preferences_table, names.consent_table, names.addresses_table)
    before = [table_snapshot(stack["dynamodb"], t) for t in tables]
    sent_before = (len(preference_seed.sent_messages()), len(stack["sms"].sent))
    token = {"manage": sign("u-prop"), "unsubscribe": sign("u-prop", purpose="unsubscribe"),
             "confirm": sign("u-prop", purpose="confirm"), "garbage": "v1.k1.abc.def",
             "non-ascii": "v1.k1.é.ü", None: None}[token_kind]
    if token and path.endswith("/unsubscribe"):
        query = {**query, "token": token}
    origin = {} if with_origin else {"origin": None}
    status, response_headers, answer = call(method, path, token=token, body=body, query=query,
                                            base64_body=base64_body,
                                            headers={"content-type": content_type, **extra_headers}, **origin)
    assert status < 500
    if status >= 400:
        # JSON with an error code; only the unsubscribe page, opened from mail, answers people with HTML
        html = response_headers["content-type"].startswith("text/html") and path.endswith("/unsubscribe")
        assert html or (response_headers["content-type"] == "application/json" and isinstance(answer["error"], str))
    if status not in (200, 201, 202):
        assert [table_snapshot(stack["dynamodb"], t) for t in tables] == before
        assert (len(preference_seed.sent_messages()), len(stack["sms"].sent)) == sent_before


# The test above spreads its examples over every route, method, header and token, so few reach the code behind
# validation. This one sends each route its right method, token and content type, and varies only the body.
routes = st.sampled_from([("PUT", "/preferences", "manage"), ("POST", "/optin", None)])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(route=routes, body=bodies)
def test_well_addressed_requests_never_5xx_and_rejections_store_nothing(call, sign, stack, route, body):
    names = stack["names"]
    tables = (names.preferences_table, names.consent_table, names.addresses_table)
    before = [table_snapshot(stack["dynamodb"], t) for t in tables]
    sent_before = (len(preference_seed.sent_messages()), len(stack["sms"].sent))
    method, path, purpose = route
    status, _, answer = call(method, CENTER + path, token=sign("u-prop") if purpose else None, body=body)
    assert status < 500
    if status not in (200, 202):
        assert isinstance(answer["error"], str)
        assert [table_snapshot(stack["dynamodb"], t) for t in tables] == before
        assert (len(preference_seed.sent_messages()), len(stack["sms"].sent)) == sent_before

"""Property-based: whatever the body, headers or query string, the API never answers 5xx, and a rejected
request leaves the preferences and consent tables exactly as they were."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import table_snapshot
from .test_handler import valid_body

CENTER = "/api/centers/default"
json_scalars = st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False) | st.text(max_size=30)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
field_names = st.sampled_from(["version", "addresses", "attributes", "subscriptions", "unsubscribed_all",
                               "language", "EMAIL", "SMS", "first_name", "runners-monthly", "x"]) | st.text(max_size=8)
# Bodies close to valid ones reach the deep validation paths; arbitrary JSON covers the rest.
mutated_bodies = st.builds(lambda base, key, value: {**base, key: value},
                           st.just(valid_body()), field_names, json_values)
nested_mutations = st.builds(
    lambda section, key, value: {**valid_body(), section: {**valid_body()[section], key: value}},
    st.sampled_from(["addresses", "attributes", "subscriptions"]), field_names, json_values)
bodies = (mutated_bodies | nested_mutations | json_values).map(json.dumps) | st.text(max_size=60)
header_names = st.sampled_from(["content-type", "accept", "accept-language", "authorization", "user-agent",
                                "x-forwarded-for", "cookie"])
headers = st.dictionaries(header_names, st.text(max_size=40), max_size=4)
queries = st.dictionaries(st.sampled_from(["lang", "token", "pc", "x"]) | st.text(min_size=1, max_size=5),
                          st.text(max_size=40), max_size=3)
routes = st.sampled_from([("PUT", "/preferences"), ("POST", "/optin"), ("POST", "/unsubscribe"),
                          ("GET", "/preferences"), ("GET", "/config"), ("GET", "/unsubscribe"),
                          ("PATCH", "/preferences"), ("DELETE", "/optin")])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(route=routes, body=bodies, extra_headers=headers, query=queries,
       token_kind=st.sampled_from(["manage", "unsubscribe", "garbage", None]), base64_body=st.booleans())
def test_never_5xx_and_rejections_store_nothing(call, sign, stack, route, body, extra_headers, query,
                                                token_kind, base64_body):
    tables = (stack["names"].preferences_table, stack["names"].consent_table)
    before = [table_snapshot(stack["dynamodb"], t) for t in tables]
    token = {"manage": sign("u-prop"), "unsubscribe": sign("u-prop", purpose="unsubscribe"),
             "garbage": "v1.k1.abc.def", None: None}[token_kind]
    if token and route[1] == "/unsubscribe":
        query = {**query, "token": token}
    method, path = route
    status, _, _ = call(method, CENTER + path, token=token, body=body, headers=extra_headers, query=query,
                        base64_body=base64_body)
    assert status < 500
    if status not in (200, 201):
        assert [table_snapshot(stack["dynamodb"], t) for t in tables] == before

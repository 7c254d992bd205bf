"""Dev server's event builder: it must produce what API Gateway HTTP API v2 delivers."""
from __future__ import annotations

import base64

from tools.preference_dev_server import build_event


def test_query_headers_and_text_body_are_shaped_like_api_gateway():
    event = build_event("PUT", "/api/centers/default/preferences?lang=es&x=1&x=2",
                        {"Content-Type": "application/json", "Authorization": "Bearer t"}, b'{"a":1}', "10.0.0.1")
    assert event["version"] == "2.0" and event["rawPath"] == "/api/centers/default/preferences"
    assert event["queryStringParameters"] == {"lang": "es", "x": "1,2"}
    assert event["headers"]["authorization"] == "Bearer t"
    assert event["requestContext"]["http"] == {"method": "PUT", "path": "/api/centers/default/preferences",
                                               "protocol": "HTTP/1.1", "sourceIp": "10.0.0.1", "userAgent": ""}
    assert (event["body"], event["isBase64Encoded"]) == ('{"a":1}', False)


def test_binary_body_is_base64_encoded():
    event = build_event("POST", "/api/centers/default/unsubscribe", {"Content-Type": "multipart/form-data; b=1"},
                        b"\x00\x01", "10.0.0.1")
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == b"\x00\x01"
    assert "queryStringParameters" not in event

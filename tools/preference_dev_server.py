"""Local preference center: the static page plus the REAL preference_api handler over in-process moto.

    python -m tools.preference_dev_server --port 8080

Serves web/preference_center/ with the same security headers CloudFront sends (preference_center.security_headers)
and turns /api/* requests into API Gateway HTTP API v2 events for functions.preference_api.handler, adding the
X-Origin-Verify proof and CloudFront-Viewer-Address as CloudFront's function and origin request policy do, so the
browser test exercises the deployed request path minus the network. Seeds the sample config, a demo user and a
signing key, then prints signed links. Confirmation messages stay in memory: GET /__dev/outbox lists their links
(this local server only). Everything disappears on exit.
"""
from __future__ import annotations

import argparse
import base64
import json
import mimetypes
import os
import sys
import time
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tools.lambda_context import LocalLambdaContext

REPO_ROOT = Path(__file__).resolve().parents[1]
WEB_ROOT = REPO_ROOT / "web" / "preference_center"
DEMO_USER = "demo-user"


def build_event(method: str, target: str, headers: dict[str, str], body: bytes, source_ip: str) -> dict[str, Any]:
    """An API Gateway HTTP API (payload 2.0) event as CloudFront -> API Gateway would deliver it."""
    url = urlsplit(target)
    lowered = {k.lower(): v for k, v in headers.items()}
    query: dict[str, str] = {}
    for key, value in parse_qsl(url.query, keep_blank_values=True):
        query[key] = f"{query[key]},{value}" if key in query else value  # API Gateway joins repeats with commas
    text_body = lowered.get("content-type", "").startswith(("application/json", "text/", "application/x-www"))
    event: dict[str, Any] = {
        "version": "2.0", "routeKey": "$default", "rawPath": url.path, "rawQueryString": url.query,
        "headers": lowered,
        "requestContext": {
            "accountId": "123456789012", "apiId": "local", "domainName": lowered.get("host", "localhost"),
            "http": {"method": method, "path": url.path, "protocol": "HTTP/1.1", "sourceIp": source_ip,
                     "userAgent": lowered.get("user-agent", "")},
            "requestId": str(uuid.uuid4()), "routeKey": "$default", "stage": "$default",
            "time": datetime.now(UTC).strftime("%d/%b/%Y:%H:%M:%S +0000"), "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": bool(body) and not text_body,
    }
    if query:
        event["queryStringParameters"] = query
    if body:
        event["body"] = body.decode("utf-8") if text_body else base64.b64encode(body).decode()
    return event


EDGE: dict[str, str] = {}
SMS = None


def seed(base_url: str) -> dict[str, str]:
    """Create the AWS side in moto and return signed demo links. Call inside an active mock_aws."""
    import boto3

    from functions.preference_api import addresses, settings, store, tokens
    from preference_center.config import load_config
    from tools import preference_seed
    from tools.sms_voice_fake import SmsVoiceFake

    global SMS
    names = preference_seed.Names()
    dynamodb, secrets = boto3.client("dynamodb"), boto3.client("secretsmanager")
    config = load_config(preference_seed.SAMPLE_CONFIG)
    preference_seed.create_tables(dynamodb, names)
    preference_seed.put_config(dynamodb, config, names)
    preference_seed.verify_sender(boto3.client("ses"), config)
    arn = preference_seed.create_signing_secret(secrets, names)
    EDGE["x-origin-verify"] = preference_seed.origin_verify(secrets, arn)
    os.environ.update(preference_seed.api_environment(names, arn, base_url, with_events=False))
    os.environ["SMS_ORIGINATION_IDENTITY"] = "arn:aws:sms-voice:us-east-1:123456789012:phone-number/local"
    SMS = SmsVoiceFake()
    settings.use_client("pinpoint-sms-voice-v2", SMS)
    # The demo user as if it had opted in and confirmed its address already (so it owns it in the registry).
    demo = store.empty_preferences(config["id"], DEMO_USER)
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    desired = {**demo, "addresses": {"EMAIL": "demo@example.com"}, "confirmed_at": {"EMAIL": now},
               "attributes": {"first_name": "Demo"}, "subscriptions": {"runners-monthly": ["EMAIL"]}, "language": "en"}
    store.save(dynamodb, (names.preferences_table, names.consent_table), demo, desired, 0,
               store.RequestMeta(source="api"), [addresses.claim_item(names.addresses_table, config["id"], "EMAIL",
                                                                      "demo@example.com", DEMO_USER, None, now)])
    key = tokens.load_keyring(arn, secrets).current
    expires = int(time.time()) + 7 * 86400
    manage = tokens.sign(tokens.Claims(DEMO_USER, config["id"], "manage", expires), key)
    unsubscribe = tokens.sign(tokens.Claims(DEMO_USER, config["id"], "unsubscribe", expires, "runners-monthly"), key)
    return {"manage": f"{base_url}/index.html?pc={config['id']}#token={manage}",
            "unsubscribe": f"{base_url}/api/centers/{config['id']}/unsubscribe?token={unsubscribe}",
            "optin": f"{base_url}/index.html?pc={config['id']}"}


def outbox() -> list[dict[str, str]]:
    """Confirmation links sent so far (e-mail via moto's SES, SMS via the fake), newest last."""
    import re

    from tools import preference_seed

    found = [{"to": ", ".join(m["to"]), "link": re.search(r"https?://\S+#confirm=\S+", m["body"]).group(0)}
             for m in preference_seed.sent_messages() if "#confirm=" in m["body"]]
    found += [{"to": m["DestinationPhoneNumber"], "link": re.search(r"https?://\S+#confirm=\S+",
                                                                    m["MessageBody"]).group(0)}
              for m in (SMS.sent if SMS else [])]
    return found


class Handler(BaseHTTPRequestHandler):
    server_version = "preference-dev"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._dispatch()

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch()

    do_PUT = do_POST = do_DELETE = do_PATCH = do_GET  # noqa: N815

    def _dispatch(self) -> None:
        if self.path == "/__dev/outbox" and self.command == "GET":
            self._send(200, {"Content-Type": "application/json"}, json.dumps(outbox()).encode())
        elif self.path.startswith("/api/"):
            self._api()
        elif self.command in ("GET", "HEAD"):
            self._static()
        else:
            self._send(405, {"Content-Type": "text/plain"}, b"method not allowed")

    def _api(self) -> None:
        from functions.preference_api.handler import lambda_handler

        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        # What CloudFront adds: the origin proof (overwriting any sent by the client) and the viewer's address.
        headers = {k: v for k, v in self.headers.items() if k.lower() != "x-origin-verify"}
        headers.update(EDGE, **{"cloudfront-viewer-address": f"{self.client_address[0]}:{self.client_address[1]}"})
        event = build_event(self.command, self.path, headers, body, "127.0.0.1")
        context = LocalLambdaContext("preference-api-local", aws_request_id=event["requestContext"]["requestId"])
        result = lambda_handler(event, context)
        payload = result.get("body") or ""
        data = base64.b64decode(payload) if result.get("isBase64Encoded") else payload.encode()
        self._send(result["statusCode"], result.get("headers") or {}, data)

    def _static(self) -> None:
        from preference_center.security_headers import PAGE_HEADERS

        path = urlsplit(self.path).path
        name = "index.html" if path in ("", "/") else path.lstrip("/")
        target = (WEB_ROOT / name).resolve()
        if WEB_ROOT.resolve() not in target.parents or not target.is_file():
            self._send(404, {"Content-Type": "text/plain", **PAGE_HEADERS}, b"not found")
            return
        content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        self._send(200, {"Content-Type": content_type, "Cache-Control": "no-cache", **PAGE_HEADERS},
                   target.read_bytes())

    def _send(self, status: int, headers: dict[str, str], data: bytes) -> None:
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from http.server
        # Query strings carry tokens: log the path only.
        sys.stderr.write(f"{self.command} {urlsplit(self.path).path} -> {args[1] if len(args) > 1 else ''}\n")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    for key, value in {"AWS_ACCESS_KEY_ID": "local", "AWS_SECRET_ACCESS_KEY": "local",
                       "AWS_DEFAULT_REGION": "us-east-1", "POWERTOOLS_TRACE_DISABLED": "true"}.items():
        os.environ.setdefault(key, value)
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    from moto import mock_aws

    with mock_aws():
        server = ThreadingHTTPServer((args.host, args.port), Handler)
        base_url = f"http://{args.host}:{server.server_address[1]}"
        links = seed(base_url)
        print(json.dumps({"base_url": base_url, **links}), flush=True)
        print(f"Manage preferences: {links['manage']}\nOne-click unsubscribe (GET shows the form): "
              f"{links['unsubscribe']}\nOpt-in form: {links['optin']}", file=sys.stderr, flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()


if __name__ == "__main__":
    main()

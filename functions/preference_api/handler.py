"""Preference-center API: routing, request parsing and the one place where errors become responses.

Served by CloudFront under /api on the page's own origin (no CORS); every request must carry CloudFront's
origin proof (edge.py), checked before anything else. User routes need a signed link token:
`Authorization: Bearer <token>` for the page's calls, `?token=` only on the unsubscribe URL that goes into the
List-Unsubscribe header (mail clients cannot send headers). JSON routes accept only `application/json`, so a
cross-site form cannot post to them.
"""
from __future__ import annotations

import json
import re
from typing import Any

from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.logging import correlation_paths

from . import edge, service, tokens, unsubscribe
from .center import public_config
from .errors import (Busy, CenterNotFound, DomainError, NotSent, OriginNotVerified, PayloadTooLarge, UnsupportedMediaType,
                     ValidationFailed, VersionConflict, field_error)
from .settings import settings
from .store import RequestMeta
from .validation import ConfirmBody, OptInBody, PreferencesBody, parse_body

logger = Logger()
tracer = Tracer()
app = APIGatewayHttpResolver(strip_prefixes=["/api"])

MAX_BODY_BYTES = 16 * 1024
MAX_JSON_DEPTH = 6  # the deepest legitimate body is {"attributes": {"x": ["a"]}}
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
JSON_CSP = "default-src 'none'; frame-ancestors 'none'"
HTML_CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data: https:; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'")
# Paths and the methods they answer, for telling 405 from 404 (the resolver only knows "no route").
KNOWN_PATHS = [
    (re.compile(r"^/centers/[^/]+/config$"), "GET"),
    (re.compile(r"^/centers/[^/]+/preferences$"), "GET, PUT"),
    (re.compile(r"^/centers/[^/]+/optin$"), "POST"),
    (re.compile(r"^/centers/[^/]+/unsubscribe$"), "GET, POST"),
]


def json_response(status: int, body: dict[str, Any], cache: str = "no-store",
                  headers: dict[str, str] | None = None) -> Response:
    return Response(status_code=status, content_type="application/json",
                    body=json.dumps(body, separators=(",", ":")),
                    headers={**SECURITY_HEADERS, "Cache-Control": cache, "Content-Security-Policy": JSON_CSP,
                             **(headers or {})})


def html_response(status: int, markup: str) -> Response:
    return Response(status_code=status, content_type="text/html; charset=utf-8", body=markup,
                    headers={**SECURITY_HEADERS, "Cache-Control": "no-store", "Content-Security-Policy": HTML_CSP})


@app.get("/centers/<pc_id>/config")
def get_config(pc_id: str) -> Response:
    loaded = service.center(settings(), pc_id)
    language = _query("lang")
    document = public_config(loaded, language)
    user_id = service.optional_user(settings(), _bearer(), pc_id)
    service.record_open(settings(), pc_id, user_id, document.get("language", loaded.config.default_language))
    return json_response(200, document, cache="private, max-age=60")


@app.get("/centers/<pc_id>/preferences")
def get_preferences(pc_id: str) -> Response:
    loaded = service.center(settings(), pc_id)
    claims = service.authorise(settings(), _bearer(), pc_id, "manage")
    return json_response(200, service.read_preferences(settings(), loaded, claims.user_id))


@app.put("/centers/<pc_id>/preferences")
def put_preferences(pc_id: str) -> Response:
    _require_json()
    loaded = service.center(settings(), pc_id)
    claims = service.authorise(settings(), _bearer(), pc_id, "manage")
    body = parse_body(PreferencesBody, _json_body())
    saved = service.update_preferences(settings(), loaded, claims.user_id, body, _meta("preference_page"))
    return json_response(200, saved)


@app.post("/centers/<pc_id>/optin")
def post_optin(pc_id: str) -> Response:
    """Without a token: request an opt-in (202, a confirmation goes to each address). With a confirm token
    from that message as Bearer: confirm it (200). Both steps of the double opt-in share this route."""
    _require_json()
    loaded = service.center(settings(), pc_id)
    token = _bearer()
    if token:
        claims = service.authorise(settings(), token, pc_id, "confirm")
        parse_body(ConfirmBody, _json_body())
        return json_response(200, service.confirm(settings(), loaded, claims, _meta("confirmation")))
    body = parse_body(OptInBody, _json_body())
    return json_response(202, service.opt_in(settings(), loaded, body, _meta("optin")))


@app.get("/centers/<pc_id>/unsubscribe")
def get_unsubscribe(pc_id: str) -> Response:
    loaded = service.center(settings(), pc_id)
    token = _query("token")
    service.authorise(settings(), token, pc_id, "unsubscribe")
    language = _language(loaded)
    text = loaded.config.text[language]
    return html_response(200, unsubscribe.page(text, language, message=text["messages"]["unsubscribe_prompt"],
                                               form_action=unsubscribe.form_action(pc_id, token or "")))


@app.post("/centers/<pc_id>/unsubscribe")
def post_unsubscribe(pc_id: str) -> Response:
    loaded = service.center(settings(), pc_id)
    claims = service.authorise(settings(), _query("token"), pc_id, "unsubscribe")
    unsubscribe.check_one_click_body(_raw_body(), app.current_event.headers.get("content-type", ""))
    result = service.one_click_unsubscribe(settings(), loaded, claims, _meta("one_click"))
    if _wants_html():
        language = _language(loaded)
        text = loaded.config.text[language]
        return html_response(200, unsubscribe.page(text, language, message=text["messages"]["unsubscribed"]))
    return json_response(200, result)


@app.exception_handler(Exception)
def handle_error(exc: Exception) -> Response:
    return _error_response(exc)


def _error_response(exc: Exception) -> Response:
    """The single mapping from failures to HTTP answers. Bad input is never a 500."""
    if isinstance(exc, NotFoundError):
        allowed = next((methods for pattern, methods in KNOWN_PATHS if pattern.match(_path())), None)
        if allowed:
            return json_response(405, {"error": "method_not_allowed", "allowed": allowed}, headers={"Allow": allowed})
        return json_response(404, {"error": "not_found"})
    if isinstance(exc, tokens.TokenError):
        status = 403 if isinstance(exc, tokens.TokenInvalid) else 401
        return _maybe_html(status, {"error": exc.code}, "expired_link" if status == 401 else "invalid_link")
    if isinstance(exc, ValidationFailed):
        return json_response(400, {"error": exc.code, "fields": exc.fields})
    if isinstance(exc, VersionConflict):
        return json_response(409, {"error": exc.code, "current_version": exc.current_version})
    if isinstance(exc, CenterNotFound):
        return json_response(404, {"error": "not_found"})
    if isinstance(exc, (Busy, NotSent)):
        return json_response(exc.status, {"error": exc.code}, headers={"Retry-After": "1"})
    if isinstance(exc, DomainError) and exc.status in (409, 413, 415, 429):
        return json_response(exc.status, {"error": exc.code})
    if isinstance(exc, DomainError):
        return _maybe_html(exc.status, {"error": exc.code}, "invalid_link")
    logger.exception("unexpected error")
    return json_response(500, {"error": "internal_error", "request_id": _request_id()})


def _maybe_html(status: int, body: dict[str, Any], message_key: str) -> Response:
    """The unsubscribe page is opened by people from their mail; they get a readable page, not JSON."""
    if _path().endswith("/unsubscribe") and (app.current_event.http_method == "GET" or _wants_html()):
        try:
            loaded = service.center(settings(), _path().split("/")[2])
            language = _language(loaded)
            text = loaded.config.text[language]
            return html_response(status, unsubscribe.page(text, language, message=text["messages"][message_key]))
        except DomainError:
            pass
    return json_response(status, body)


# Responses carry tokens and addresses: never attach them (or error details) to X-Ray traces.
@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@tracer.capture_lambda_handler(capture_response=False, capture_error=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    try:
        verified = edge.verified(headers, settings())
    except Exception:  # noqa: BLE001 - the keys could not be read: a JSON 503, never the runtime's bare 500
        logger.exception("could not check the origin proof")
        return _bare(503, "unavailable", {"Retry-After": "1"})
    if not verified:
        # Not through CloudFront (so not through WAF): refused before routing, parsing or any data access.
        return _bare(OriginNotVerified.status, OriginNotVerified.code)
    return app.resolve(event, context)


def _bare(status: int, code: str, extra: dict[str, str] | None = None) -> dict[str, Any]:
    """A JSON answer outside the resolver (before routing)."""
    return {"statusCode": status, "headers": {**SECURITY_HEADERS, "Content-Type": "application/json",
                                              "Cache-Control": "no-store", "Content-Security-Policy": JSON_CSP,
                                              **(extra or {})},
            "body": json.dumps({"error": code}), "isBase64Encoded": False}


# --- request helpers ---------------------------------------------------------------------------------------

def _path() -> str:
    path = app.current_event.path
    return path[len("/api"):] if path.startswith("/api/") else path


def _query(name: str) -> str | None:
    return (app.current_event.query_string_parameters or {}).get(name)


def _bearer() -> str | None:
    value = app.current_event.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _raw_body() -> bytes:
    event = app.current_event
    raw = event.body or ""
    if event.is_base64_encoded:
        import base64
        import binascii

        try:
            data = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed({"body": field_error("invalid", "body is not valid base64")}) from None
    else:
        data = raw.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BODY_BYTES:
        raise PayloadTooLarge("body too large")
    return data


def _require_json() -> None:
    media_type = app.current_event.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type != "application/json":
        raise UnsupportedMediaType("Content-Type must be application/json")


def _json_body() -> Any:
    try:
        data = json.loads(_raw_body(), object_pairs_hook=_unique_keys)
    except DuplicateKey as exc:
        raise ValidationFailed({"body": field_error("duplicate_key", f"{exc} appears more than once")}) from None
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ValidationFailed({"body": field_error("invalid", "body must be a JSON object")}) from None
    if _depth(data) > MAX_JSON_DEPTH:
        raise ValidationFailed({"body": field_error("invalid", "body is nested too deeply")})
    return data


class DuplicateKey(ValueError):
    """An object repeats a name: json.loads would keep the last value, what a WAF rule or a reader of the
    request saw first may differ, so the body is refused rather than given one of its two meanings."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise DuplicateKey(json.dumps(key)[:66])
        data[key] = value
    return data


def _depth(value: Any) -> int:
    """Nesting depth without recursion (a 16 kB body can nest thousands of levels)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_JSON_DEPTH:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, level + 1) for child in children)
    return deepest


def _meta(source: str) -> RequestMeta:
    http = app.current_event.request_context.http
    return RequestMeta(source=source, source_ip=viewer_ip(app.current_event.headers, http.source_ip or ""),
                       user_agent=http.user_agent or "", request_id=_request_id())


def viewer_ip(headers: Any, connecting_ip: str) -> str:
    """The viewer's address. API Gateway sees CloudFront's; CloudFront sends the viewer's as
    `CloudFront-Viewer-Address: <ip>:<port>` (IPv6 unbracketed), which a viewer cannot forge because CloudFront
    sets it and only requests carrying the origin proof get this far."""
    value = (headers.get("cloudfront-viewer-address") or "").strip()
    address = value.rsplit(":", 1)[0] if ":" in value else ""
    return address if address and len(address) <= 64 and address.isascii() else connecting_ip


def _request_id() -> str:
    try:
        return app.current_event.request_context.request_id or ""
    except (AttributeError, KeyError):
        return ""


def _wants_html() -> bool:
    accept = app.current_event.headers.get("accept", "")
    return "text/html" in accept


def _language(loaded: Any) -> str:
    accept = app.current_event.headers.get("accept-language", "")
    preferred = [part.split(";")[0].strip() for part in accept.split(",") if part.strip()][:5]
    return loaded.config.pick_language(_query("lang"), *preferred)

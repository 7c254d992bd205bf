"""RFC 8058 one-click unsubscribe: the POST body check, the change it makes, and the confirmation page.

RFC 8058 requires the POST body to be exactly `List-Unsubscribe=One-Click`, sent as multipart/form-data or
application/x-www-form-urlencoded, and says a GET must not unsubscribe (link scanners follow GETs), so GET
only shows a page whose form makes the POST.
"""
from __future__ import annotations

import email.parser
import email.policy
import html
from typing import Any
from urllib.parse import parse_qs, quote

from .errors import ValidationFailed, field_error

ONE_CLICK = {"List-Unsubscribe": ["One-Click"]}


def check_one_click_body(body: bytes, content_type: str) -> None:
    if content_type.lower().startswith("multipart/form-data"):
        try:
            fields = _multipart_fields(body, content_type)
        except (UnicodeError, ValueError, LookupError, TypeError, IndexError, AttributeError):
            fields = {}  # a boundary or part that is not valid ASCII/MIME cannot be List-Unsubscribe=One-Click
    else:
        try:
            fields = parse_qs(body.decode("ascii"), keep_blank_values=True, strict_parsing=True)
        except (UnicodeDecodeError, ValueError):
            fields = {}
    if fields != ONE_CLICK:
        raise ValidationFailed({"body": field_error("invalid", "body must be List-Unsubscribe=One-Click")})


def _multipart_fields(body: bytes, content_type: str) -> dict[str, list[str]]:
    # Header values are ASCII (RFC 7230/2046); anything else raises and the body is refused as invalid.
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("ascii") + b"\r\n\r\n" + body)
    fields: dict[str, list[str]] = {}
    if not message.is_multipart():
        return fields
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        fields.setdefault(str(name), []).append(payload.decode("utf-8", "replace").strip())
    return fields


def unsubscribed(record: dict[str, Any], publication_id: str | None) -> dict[str, Any]:
    """The record after the unsubscribe the token asks for (one publication, or everything)."""
    if publication_id:
        subscriptions = {k: v for k, v in record["subscriptions"].items() if k != publication_id}
        return {**record, "subscriptions": subscriptions}
    return {**record, "subscriptions": {}, "unsubscribed_all": True}


def page(text: dict[str, Any], language: str, *, message: str, form_action: str | None = None) -> str:
    """A minimal page: no script, styles from the page's own stylesheet, every value escaped."""
    e = lambda value: html.escape(str(value), quote=True)  # noqa: E731 - local shorthand keeps markup readable
    form = ""
    if form_action:
        form = (f'<form method="post" action="{e(form_action)}">'
                '<input type="hidden" name="List-Unsubscribe" value="One-Click">'
                f'<button type="submit" class="primary">{e(text["buttons"]["unsubscribe_confirm"])}</button>'
                "</form>")
    return ("<!doctype html>"
            f'<html lang="{e(language)}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{e(text["page_title"])}</title><link rel="stylesheet" href="/styles.css"></head>'
            f'<body><main class="container"><h1>{e(text["header"])}</h1>'
            f'<p role="status">{e(message)}</p>{form}</main></body></html>')


def form_action(center_id: str, token: str) -> str:
    return f"/api/centers/{quote(center_id)}/unsubscribe?token={quote(token, safe='')}"

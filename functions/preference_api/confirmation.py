"""Confirmation messages (double opt-in): a signed, expiring, single-use link sent to the address itself.

The link opens the page with the token in the URL fragment (`#confirm=`), which browsers never send to a
server, so it stays out of CloudFront and API logs; the page POSTs it back as a Bearer header. Opening the link
confirms nothing by itself: link scanners that fetch URLs in mail cannot confirm on the owner's behalf.
"""
from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import quote

from . import tokens
from .center import LoadedCenter
from .errors import NotSent
from .settings import Settings, client


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


def link(env: Settings, center_id: str, token: str) -> str:
    return f"{env.page_base_url}/index.html?pc={quote(center_id)}#confirm={token}"


def manage_link(env: Settings, center_id: str, token: str) -> str:
    return f"{env.page_base_url}/index.html?pc={quote(center_id)}#token={token}"


def send(env: Settings, loaded: LoadedCenter, user_id: str, channel: str, address: str, nonce: str,
         language: str | None) -> None:
    """Sign a confirm token for (user, channel, nonce) and send its link to `address`; NotSent on failure."""
    center = loaded.config
    keyring = tokens.load_keyring(env.signing_secret_arn, client("secretsmanager"))
    token = tokens.sign(tokens.Claims(user_id=user_id, center_id=center.id, purpose="confirm",
                                      expires_at=int(time.time()) + center.confirmation.ttl_hours * 3600,
                                      channel=channel, nonce=nonce), keyring.current)
    text = center.text[center.pick_language(language)]["confirmation"]
    url = link(env, center.id, token)
    try:
        if channel == "EMAIL":
            client("sesv2").send_email(
                FromEmailAddress=center.confirmation.email_from, Destination={"ToAddresses": [address]},
                Content={"Simple": {"Subject": {"Data": text["email_subject"], "Charset": "UTF-8"},
                                    "Body": {"Text": {"Data": text["email_body"].replace("{link}", url),
                                                      "Charset": "UTF-8"}}}})
        else:
            client("pinpoint-sms-voice-v2").send_text_message(
                DestinationPhoneNumber=address, OriginationIdentity=env.sms_origination_identity,
                MessageBody=text["sms_body"].replace("{link}", url), MessageType="TRANSACTIONAL")
    except Exception as exc:  # noqa: BLE001 - any sender failure is the same answer: not sent, try again
        raise NotSent(type(exc).__name__) from None


def pending_request(record: dict[str, Any], channel: str, address: str) -> dict[str, Any]:
    """`record` with `address` awaiting confirmation on `channel` (a fresh nonce voids older links)."""
    return {**record, "pending": {**record.get("pending", {}), channel: address},
            "nonces": {**record.get("nonces", {}), channel: new_nonce()}}

"""Signed link tokens: `v1.<kid>.<base64url(payload)>.<base64url(hmac-sha256)>`.

The MAC covers the version, the key id and the payload, so no part can be swapped. Keys live in one Secrets
Manager secret: AWSCURRENT signs and verifies, AWSPREVIOUS only verifies, so links sent just before a rotation
keep working for one rotation period. This module is also imported by tools/preference_link.py (the senders'
side), so signing and verification can never drift apart.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

VERSION = "v1"
Purpose = Literal["manage", "unsubscribe"]
PURPOSES = ("manage", "unsubscribe")
KEY_CACHE_SECONDS = 300
MAX_TOKEN_LENGTH = 1024


class TokenError(Exception):
    """Base class; `code` is returned to the client."""

    code = "token_invalid"


class TokenMissing(TokenError):
    code = "token_missing"


class TokenInvalid(TokenError):
    code = "token_invalid"


class TokenExpired(TokenError):
    code = "token_expired"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    key: bytes

    @classmethod
    def from_secret_string(cls, secret_string: str) -> SigningKey:
        data = json.loads(secret_string)
        key = base64.b64decode(data["key"], validate=True)
        if len(key) < 32:
            raise ValueError("signing key must be at least 32 bytes")
        return cls(kid=str(data["kid"]), key=key)


@dataclass(frozen=True)
class Keyring:
    current: SigningKey
    previous: SigningKey | None = None

    def find(self, kid: str) -> SigningKey | None:
        for key in (self.current, self.previous):
            if key is not None and hmac.compare_digest(key.kid, kid):
                return key
        return None


@dataclass(frozen=True)
class Claims:
    user_id: str
    center_id: str
    purpose: Purpose
    expires_at: int
    publication_id: str | None = None

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"u": self.user_id, "c": self.center_id, "p": self.purpose,
                                   "e": self.expires_at}
        if self.publication_id:
            payload["b"] = self.publication_id
        return payload


def sign(claims: Claims, key: SigningKey) -> str:
    if claims.purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}")
    body = _b64(json.dumps(claims.to_payload(), separators=(",", ":"), sort_keys=True).encode())
    signing_input = f"{VERSION}.{key.kid}.{body}"
    return f"{signing_input}.{_b64(_mac(key.key, signing_input))}"


def verify(token: str | None, keyring: Keyring, now: float | None = None) -> Claims:
    """Return the claims of a genuine, unexpired token; raise a TokenError otherwise."""
    if not token:
        raise TokenMissing("no token")
    if len(token) > MAX_TOKEN_LENGTH:
        raise TokenInvalid("token too long")
    parts = token.split(".")
    if len(parts) != 4 or parts[0] != VERSION:
        raise TokenInvalid("malformed token")
    _, kid, body, signature = parts
    key = keyring.find(kid)
    if key is None:
        raise TokenInvalid("unknown key id")
    try:
        given = _unb64(signature)
    except ValueError:
        raise TokenInvalid("malformed signature") from None
    if not hmac.compare_digest(given, _mac(key.key, f"{VERSION}.{kid}.{body}")):
        raise TokenInvalid("bad signature")
    claims = _claims(body)
    if claims.expires_at <= (time.time() if now is None else now):
        raise TokenExpired("token expired")
    return claims


def _claims(body: str) -> Claims:
    # Only reached with a valid MAC, so a failure here means a signer bug, still reported as invalid.
    try:
        payload = json.loads(_unb64(body))
        purpose = payload["p"]
        if purpose not in PURPOSES:
            raise ValueError(purpose)
        return Claims(user_id=str(payload["u"]), center_id=str(payload["c"]), purpose=purpose,
                      expires_at=int(payload["e"]), publication_id=payload.get("b"))
    except (ValueError, KeyError, TypeError):
        raise TokenInvalid("malformed payload") from None


def _mac(key: bytes, signing_input: str) -> bytes:
    return hmac.new(key, signing_input.encode("ascii"), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError("bad base64") from exc


# --- keys from Secrets Manager ------------------------------------------------------------------------------

_cache: dict[str, tuple[float, Keyring]] = {}
_cache_lock = threading.Lock()


def load_keyring(secret_arn: str, client: Any, max_age: float = KEY_CACHE_SECONDS) -> Keyring:
    """AWSCURRENT + AWSPREVIOUS keys, cached briefly so a rotation is picked up within `max_age` seconds."""
    with _cache_lock:
        cached = _cache.get(secret_arn)
        if cached and time.monotonic() - cached[0] < max_age:
            return cached[1]
    current = SigningKey.from_secret_string(
        client.get_secret_value(SecretId=secret_arn, VersionStage="AWSCURRENT")["SecretString"])
    previous = None
    try:
        previous = SigningKey.from_secret_string(
            client.get_secret_value(SecretId=secret_arn, VersionStage="AWSPREVIOUS")["SecretString"])
    except client.exceptions.ResourceNotFoundException:
        pass  # never rotated yet: there is no previous key
    keyring = Keyring(current=current, previous=previous)
    with _cache_lock:
        _cache[secret_arn] = (time.monotonic(), keyring)
    return keyring


def clear_key_cache() -> None:
    with _cache_lock:
        _cache.clear()

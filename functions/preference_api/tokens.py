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
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, Literal

VERSION = "v1"
Purpose = Literal["manage", "unsubscribe", "confirm"]
PURPOSES = ("manage", "unsubscribe", "confirm")
KEY_CACHE_SECONDS = 300
# What a campaign id in an unsubscribe token may look like (the signer refuses others, the API ignores them).
CAMPAIGN_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")
# An unknown kid refreshes the keys at most this often, so random kids cannot turn into Secrets Manager calls.
KEY_REFRESH_SECONDS = 10
MAX_TOKEN_LENGTH = 1024
# The only shape a token can have: ASCII base64url parts and a 32-byte MAC in its canonical, unpadded form
# (43 characters). Anything else (non-ASCII, padding, trailing bytes) is refused before any decoding; `\Z`, not
# `$`, which also matches before a final newline.
TOKEN_SHAPE = re.compile(r"^v1\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{1,900})\.([A-Za-z0-9_-]{43})\Z")


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
    origin_verify: str = ""
    """The value CloudFront adds as the X-Origin-Verify header while this version is current (see edge.py)."""

    @classmethod
    def from_secret_string(cls, secret_string: str) -> SigningKey:
        data = json.loads(secret_string)
        key = base64.b64decode(data["key"], validate=True)
        if len(key) < 32:
            raise ValueError("signing key must be at least 32 bytes")
        return cls(kid=str(data["kid"]), key=key, origin_verify=str(data.get("origin_verify", "")))


@dataclass(frozen=True)
class Keyring:
    current: SigningKey
    previous: SigningKey | None = None
    pending: SigningKey | None = None
    """Only during a rotation: never signs or verifies links, but its origin value is already at the edge."""

    def find(self, kid: str) -> SigningKey | None:
        for key in (self.current, self.previous):
            if key is not None and hmac.compare_digest(key.kid.encode(), kid.encode()):
                return key
        return None

    def accepts_origin(self, value: str) -> bool:
        # Every candidate is compared (no early exit), in constant time per comparison.
        results = [hmac.compare_digest(key.origin_verify.encode(), value.encode())
                   for key in (self.current, self.previous, self.pending) if key is not None and key.origin_verify]
        return any(results)


@dataclass(frozen=True)
class Claims:
    user_id: str
    center_id: str
    purpose: Purpose
    expires_at: int
    publication_id: str | None = None
    channel: str | None = None
    """confirm tokens: the channel whose pending address they confirm."""
    nonce: str | None = None
    """confirm tokens: single use, must equal the nonce stored with the pending address."""
    campaign_id: str | None = None
    """unsubscribe tokens: the campaign whose message carried the link (reported with the unsubscribe event,
    so campaign_funnel counts it)."""

    def to_payload(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"u": self.user_id, "c": self.center_id, "p": self.purpose,
                                   "e": self.expires_at}
        for key, value in (("b", self.publication_id), ("h", self.channel), ("n", self.nonce),
                           ("m", self.campaign_id)):
            if value:
                payload[key] = value
        return payload


def sign(claims: Claims, key: SigningKey) -> str:
    if claims.purpose not in PURPOSES:
        raise ValueError(f"purpose must be one of {PURPOSES}")
    body = _b64(json.dumps(claims.to_payload(), separators=(",", ":"), sort_keys=True).encode())
    signing_input = f"{VERSION}.{key.kid}.{body}"
    return f"{signing_input}.{_b64(_mac(key.key, signing_input))}"


def verify(token: str | None, keyring: Keyring, now: float | None = None,
           max_ttl_seconds: int | None = None) -> Claims:
    """Return the claims of a genuine, unexpired token; raise a TokenError otherwise.

    `max_ttl_seconds` bounds how far in the future a genuine token may expire (the stack's longest link
    lifetime), so a signer mistake or a leaked key cannot mint links that never expire.
    """
    if not token:
        raise TokenMissing("no token")
    if len(token) > MAX_TOKEN_LENGTH:
        raise TokenInvalid("token too long")
    match = TOKEN_SHAPE.match(token)
    if match is None:
        raise TokenInvalid("malformed token")
    kid, body, signature = match.groups()
    key = keyring.find(kid)
    if key is None:
        raise _unknown_key(body, now)
    expected = _b64(_mac(key.key, f"{VERSION}.{kid}.{body}"))
    # Compare the canonical encoding: "==", "!!" or an equivalent last base64 character never pass.
    if not hmac.compare_digest(signature, expected):
        raise TokenInvalid("bad signature")
    claims = _claims(body)
    moment = time.time() if now is None else now
    if claims.expires_at <= moment:
        raise TokenExpired("token expired")
    if max_ttl_seconds is not None and claims.expires_at - moment > max_ttl_seconds:
        raise TokenInvalid("expiry beyond the longest link lifetime")
    return claims


def _unknown_key(body: str, now: float | None) -> TokenError:
    """No key with this kid. An expired payload says "expired" (the message grants nothing, so the unverified
    expiry may choose it); anything else is invalid."""
    try:
        expires_at = json.loads(_unb64(body))["e"]
        if isinstance(expires_at, int) and not isinstance(expires_at, bool) and \
                expires_at <= (time.time() if now is None else now):
            return TokenExpired("token expired (its key has been rotated out)")
    except (ValueError, KeyError, TypeError, RecursionError):
        pass
    return TokenInvalid("unknown key id")


def _claims(body: str) -> Claims:
    # Only reached with a valid MAC, so a failure here means a signer bug, still reported as invalid.
    try:
        payload = json.loads(_unb64(body))
        purpose = payload["p"]
        if purpose not in PURPOSES or not isinstance(payload["e"], int) or isinstance(payload["e"], bool):
            raise ValueError(purpose)
        return Claims(user_id=str(payload["u"]), center_id=str(payload["c"]), purpose=purpose,
                      expires_at=payload["e"], publication_id=payload.get("b"), channel=payload.get("h"),
                      nonce=payload.get("n"), campaign_id=_campaign(payload.get("m")))
    except (ValueError, KeyError, TypeError, AttributeError):
        raise TokenInvalid("malformed payload") from None


def _campaign(value: Any) -> str | None:
    return value if isinstance(value, str) and CAMPAIGN_ID.fullmatch(value) else None


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
    pending = None
    try:
        pending = SigningKey.from_secret_string(
            client.get_secret_value(SecretId=secret_arn, VersionStage="AWSPENDING")["SecretString"])
    except client.exceptions.ResourceNotFoundException:
        pass  # no rotation in progress
    keyring = Keyring(current=current, previous=previous, pending=pending)
    with _cache_lock:
        _cache[secret_arn] = (time.monotonic(), keyring)
    return keyring


def verify_with_refresh(token: str | None, secret_arn: str, client: Any,
                        max_ttl_seconds: int | None = None) -> Claims:
    """verify() against the cached keys; a token naming a kid they lack (a rotation newer than the cache)
    reloads the keys once, at most every KEY_REFRESH_SECONDS, before it is refused."""
    keyring = load_keyring(secret_arn, client)
    try:
        return verify(token, keyring, max_ttl_seconds=max_ttl_seconds)
    except TokenError:
        match = TOKEN_SHAPE.match(token or "")
        fresh = None if match is None or keyring.find(match.group(1)) else refreshed_keyring(secret_arn, client)
        if fresh is None:
            raise
    return verify(token, fresh, max_ttl_seconds=max_ttl_seconds)


def refreshed_keyring(secret_arn: str, client: Any) -> Keyring | None:
    """Reload the keys unless they were loaded less than KEY_REFRESH_SECONDS ago (then None)."""
    with _cache_lock:
        cached = _cache.get(secret_arn)
        if cached and time.monotonic() - cached[0] < KEY_REFRESH_SECONDS:
            return None
    return load_keyring(secret_arn, client, max_age=0)


def clear_key_cache() -> None:
    with _cache_lock:
        _cache.clear()

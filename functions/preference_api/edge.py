"""Proof that a request came through this stack's CloudFront distribution (and so through its WAF).

CloudFront's viewer-request function on `/api/*` sets `X-Origin-Verify` from its KeyValueStore, which the
signing-key rotation writes (functions/signing_key_rotation). The value lives in the same Secrets Manager
secret as the link-signing key and rotates with it; the current, previous and pending values are accepted, so a
rotation never rejects requests while the new value propagates to the edge. The API checks it before any other
work: a request sent straight to the execute-api endpoint gets 403 and changes nothing.
"""
from __future__ import annotations

from collections.abc import Mapping

from . import tokens
from .settings import Settings, client

HEADER = "x-origin-verify"
MAX_LENGTH = 256


def verified(headers: Mapping[str, str], env: Settings) -> bool:
    given = headers.get(HEADER) or ""
    if not given or len(given) > MAX_LENGTH or not given.isascii():
        return False
    keyring = tokens.load_keyring(env.signing_secret_arn, client("secretsmanager"))
    if keyring.accepts_origin(given):
        return True
    # A value newer than our cached keys (a rotation just pushed it to the edge): reload once, rate-limited.
    fresh = tokens.refreshed_keyring(env.signing_secret_arn, client("secretsmanager"))
    return fresh is not None and fresh.accepts_origin(given)

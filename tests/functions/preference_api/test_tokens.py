"""Signed link tokens: unit cases and what the API answers for each kind of bad token."""
from __future__ import annotations

import base64
import json
import time

import pytest

from functions.preference_api import tokens
from tools import preference_seed

PREFS = "/api/centers/default/preferences"
KEY_A = tokens.SigningKey("a", b"A" * 32)
KEY_B = tokens.SigningKey("b", b"B" * 32)


def claims(**overrides):
    values = {"user_id": "u-1", "center_id": "default", "purpose": "manage", "expires_at": int(time.time()) + 60}
    values.update(overrides)
    return tokens.Claims(**values)


def test_sign_verify_round_trip_keeps_every_claim():
    token = tokens.sign(claims(purpose="unsubscribe", publication_id="weekly"), KEY_A)
    assert token.startswith("v1.a.")
    assert tokens.verify(token, tokens.Keyring(KEY_A)) == claims(purpose="unsubscribe", publication_id="weekly")


def test_previous_key_still_verifies_during_grace_period():
    token = tokens.sign(claims(), KEY_A)
    assert tokens.verify(token, tokens.Keyring(current=KEY_B, previous=KEY_A)).user_id == "u-1"


def test_unknown_kid_fails_even_with_right_key_material():
    token = tokens.sign(claims(), tokens.SigningKey("zz", KEY_A.key))
    with pytest.raises(tokens.TokenInvalid):
        tokens.verify(token, tokens.Keyring(KEY_A))


def test_expired_token_raises_expired():
    token = tokens.sign(claims(expires_at=int(time.time()) - 1), KEY_A)
    with pytest.raises(tokens.TokenExpired):
        tokens.verify(token, tokens.Keyring(KEY_A))


def test_swapping_kid_breaks_the_signature():
    # Both keys are trusted; re-labelling a token signed by A as B must still fail.
    token = tokens.sign(claims(), KEY_A)
    relabelled = token.replace("v1.a.", "v1.b.", 1)
    with pytest.raises(tokens.TokenInvalid):
        tokens.verify(relabelled, tokens.Keyring(current=KEY_A, previous=KEY_B))


@pytest.mark.parametrize("token", ["", "v1", "v2.a.x.y", "v1.a.!!!.###", "v1.a.e30.e30", "a" * 5000])
def test_malformed_tokens_are_rejected(token):
    with pytest.raises(tokens.TokenError):
        tokens.verify(token, tokens.Keyring(KEY_A))


def tamper(token: str, **changes) -> str:
    version, kid, body, signature = token.split(".")
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    payload.update(changes)
    new_body = base64.urlsafe_b64encode(json.dumps(payload).encode()).rstrip(b"=").decode()
    return ".".join([version, kid, new_body, signature])


def test_valid_token_is_accepted(call, sign):
    assert call("GET", PREFS, token=sign("u-1"))[0] == 200


def test_missing_token_is_401(call):
    status, _, body = call("GET", PREFS)
    assert (status, body) == (401, {"error": "token_missing"})


def test_expired_token_is_401_token_expired(call, sign):
    status, _, body = call("GET", PREFS, token=sign("u-1", ttl=-5))
    assert (status, body) == (401, {"error": "token_expired"})


def test_tampered_token_is_403(call, sign):
    status, _, body = call("GET", PREFS, token=tamper(sign("u-1"), e=int(time.time()) + 10**8))
    assert (status, body) == (403, {"error": "token_invalid"})


def test_other_users_payload_with_my_signature_is_403(call, sign):
    # Given my genuine token, When I swap in another user's id, Then the API refuses
    status, _, _ = call("GET", PREFS, token=tamper(sign("u-me"), u="u-victim"))
    assert status == 403


def test_other_centers_token_is_403(call, sign):
    status, _, body = call("GET", PREFS, token=sign("u-1", center_id="other"))
    assert (status, body) == (403, {"error": "token_invalid"})


def test_unsubscribe_token_cannot_manage_preferences(call, sign):
    status, _, _ = call("GET", PREFS, token=sign("u-1", purpose="unsubscribe"))
    assert status == 403


def test_rotated_key_grace_period_and_unknown_kid(call, sign, stack):
    # Given a token signed with the current key k1
    old_token = sign("u-1")
    # When the secret rotates to k2 (k1 becomes AWSPREVIOUS)
    stack["secrets"].put_secret_value(SecretId=stack["arn"],
                                      SecretString=preference_seed.new_key_secret_string("k2"))
    tokens.clear_key_cache()
    # Then the old token still works, and a token naming a kid the secret does not hold fails
    assert call("GET", PREFS, token=old_token)[0] == 200
    new_token = sign("u-1")
    assert new_token.startswith("v1.k2.")
    assert call("GET", PREFS, token=new_token)[0] == 200
    # After the next rotation k1 is gone.
    stack["secrets"].put_secret_value(SecretId=stack["arn"],
                                      SecretString=preference_seed.new_key_secret_string("k3"))
    tokens.clear_key_cache()
    assert call("GET", PREFS, token=old_token)[0] == 403

"""Each input that once produced a 500, a bypass or a leak, as a named case (the fuzz test covers the rest)."""
from __future__ import annotations

import base64
import hashlib
import json
import time

import pytest

from functions.preference_api import store, tokens
from tools import preference_seed

from .conftest import build_event, confirm_links, table_snapshot
from .test_handler import consent_records, valid_body

PREFS = "/api/centers/default/preferences"
OPTIN = "/api/centers/default/optin"
UNSUB = "/api/centers/default/unsubscribe"
FORM = {"content-type": "application/x-www-form-urlencoded"}


def snapshot(stack):
    names = stack["names"]
    return [table_snapshot(stack["dynamodb"], t) for t in (names.preferences_table, names.consent_table,
                                                           names.addresses_table)]


# --- origin proof (only through CloudFront and its WAF) ------------------------------------------------------

@pytest.mark.parametrize("origin", [None, "", "wrong", "x" * 300, "é" * 10])
@pytest.mark.parametrize(("method", "path"), [("GET", "/api/centers/default/config"), ("PUT", PREFS),
                                              ("POST", OPTIN), ("POST", UNSUB), ("GET", "/api/nowhere")])
def test_without_the_edges_proof_every_route_is_403_and_nothing_changes(call, sign, stack, origin, method, path):
    before = snapshot(stack)
    kwargs = {"origin": origin} if origin is not None else {}
    event_origin = kwargs.get("origin", "__absent__")
    status, _, body = call(method, path, token=sign("u-1"), body=valid_body(),
                           **({"origin": None} if event_origin == "__absent__" else kwargs))
    assert (status, body) == (403, {"error": "forbidden"})
    assert snapshot(stack) == before and preference_seed.sent_messages() == []


def test_direct_request_is_refused_before_any_data_access(stack, lambda_context, monkeypatch):
    from functions.preference_api import handler, service

    monkeypatch.setattr(service, "center", lambda *a: pytest.fail("reached the service without origin proof"))
    response = handler.lambda_handler(build_event("GET", "/api/centers/default/config"), lambda_context)
    assert response["statusCode"] == 403


def test_the_pending_value_is_accepted_while_a_rotation_pushes_it_to_the_edge(call, stack):
    secrets = stack["secrets"]
    pending = preference_seed.new_key_secret_string("k2")
    secrets.put_secret_value(SecretId=stack["arn"], SecretString=pending, ClientRequestToken="a" * 32,
                             VersionStages=["AWSPENDING"])
    tokens.clear_key_cache()
    status, _, _ = call("GET", "/api/centers/default/config", origin=json.loads(pending)["origin_verify"])
    assert status == 200


# --- inputs that used to be 500s -----------------------------------------------------------------------------

@pytest.mark.parametrize("token", ["v1.k1.é.x", "v1.ké.abc.def", "v1.k1.abc." + "é" * 43, "\u0000", "v1.k1..",
                                   "v1.k1.abc.def\n"])
def test_non_ascii_or_control_characters_in_a_token_are_403(call, token):
    assert call("GET", PREFS, token=token)[0] == 403
    assert call("POST", UNSUB, query={"token": token}, headers=FORM, body="List-Unsubscribe=One-Click")[0] == 403


def test_a_newline_after_a_genuine_token_is_refused(call, sign, stack):
    # `$` matched before a trailing newline: the same token had a second spelling the MAC never covered
    token = sign("u-1", purpose="unsubscribe")
    before = snapshot(stack)
    status, _, body = call("POST", UNSUB, query={"token": token + "\n"}, headers=FORM,
                           body="List-Unsubscribe=One-Click")
    assert (status, body) == (403, {"error": "token_invalid"})
    assert snapshot(stack) == before


@pytest.mark.parametrize("suffix", ["==", "!!", "="])
def test_padding_or_junk_after_a_signature_is_refused(call, sign, suffix):
    assert call("GET", PREFS, token=sign("u-1") + suffix)[0] == 403


def test_an_equivalent_last_base64_character_is_refused(call, sign):
    token = sign("u-1")
    head, signature = token.rsplit(".", 1)
    raw = base64.urlsafe_b64decode(signature + "=")
    # 43 characters carry 258 bits for 256: the last character's 2 low bits are ignored by a lenient decoder.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(signature[-1])
    twin = signature[:-1] + alphabet[last ^ 1]
    assert base64.urlsafe_b64decode(twin + "=") == raw  # same bytes, different text
    assert call("GET", PREFS, token=f"{head}.{twin}")[0] == 403


@pytest.mark.parametrize("route", [("POST", OPTIN), ("PUT", PREFS)])
def test_deeply_nested_json_is_400(call, sign, stack, route):
    before = snapshot(stack)
    body = "[" * 8000 + "]" * 8000
    status, _, response = call(route[0], route[1], token=sign("u-1") if route[0] == "PUT" else None, body=body)
    assert status == 400 and response["error"] == "validation_failed"
    nested = json.dumps({"addresses": {"EMAIL": {"a": {"b": {"c": {"d": {"e": [1]}}}}}}})
    assert call("POST", OPTIN, body=nested)[0] == 400
    assert snapshot(stack) == before


@pytest.mark.parametrize(("first", "repeated"), [
    ('"language": "es"', '"language": "en", "language": "es"'),
    ('"EMAIL": "ana@example.com"', '"EMAIL": "eve@example.com", "EMAIL": "ana@example.com"'),
    ('"first_name": "Ana"', '"first_name": "Eve", "first_name": "Ana"')])
@pytest.mark.parametrize("route", [("PUT", PREFS), ("POST", OPTIN)])
def test_a_json_body_repeating_a_key_is_400_and_stores_nothing(call, sign, stack, first, repeated, route):
    # json.loads keeps the last value silently; a WAF rule or a log reader may act on the first. One meaning only.
    method, path = route
    body = valid_body() if method == "PUT" else {k: v for k, v in valid_body().items()
                                                   if k not in ("version", "unsubscribed_all")}
    clean = json.dumps(body)
    assert first in clean
    token = sign("u-1") if method == "PUT" else None
    before = snapshot(stack)
    status, _, response = call(method, path, token=token, body=clean.replace(first, repeated, 1))
    assert status == 400 and response["error"] == "validation_failed"
    assert snapshot(stack) == before and preference_seed.sent_messages() == []
    assert call(method, path, token=token, body=clean)[0] in (200, 202)  # the same body without the repeat is fine


@pytest.mark.parametrize("content_type", ["multipart/form-data; boundary=é", "multipart/form-data; boundary=\u2603",
                                          "multipart/form-data; boundary=\"\"", "multipart/form-data"])
def test_odd_multipart_content_types_are_400(call, sign, content_type):
    token = sign("u-1", purpose="unsubscribe")
    status, _, body = call("POST", UNSUB, query={"token": token}, headers={"content-type": content_type},
                           body="--é\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--é--")
    assert status == 400 and body["error"] == "validation_failed"


class ConflictingDynamoDB:
    """The real moto client, whose next `fail` transactions are cancelled as DynamoDB does under contention."""

    def __init__(self, real, fail: int):
        self._real, self.fail, self.calls = real, fail, 0
        self.exceptions = real.exceptions

    def transact_write_items(self, **kwargs):
        self.calls += 1
        if self.calls <= self.fail:
            # The documented shape of a conflict: TransactionCanceledException, one reason per item.
            raise self._real.exceptions.TransactionCanceledException(
                {"Error": {"Code": "TransactionCanceledException", "Message": "Transaction cancelled"},
                 "CancellationReasons": [{"Code": "TransactionConflict"}, {"Code": "None"}]}, "TransactWriteItems")
        return self._real.transact_write_items(**kwargs)

    def __getattr__(self, name):
        return getattr(self._real, name)


@pytest.fixture
def conflicting(stack, monkeypatch):
    from functions.preference_api import settings

    monkeypatch.setattr(store, "BACKOFF_SECONDS", 0.001)

    def install(fail: int) -> ConflictingDynamoDB:
        fake = ConflictingDynamoDB(stack["dynamodb"], fail)
        settings.use_client("dynamodb", fake)
        return fake

    return install


@pytest.mark.parametrize("route", ["put", "one_click"])
def test_a_transaction_conflict_is_retried(call, sign, conflicting, route):
    call("PUT", PREFS, token=sign("u-1"), body=valid_body(addresses={"EMAIL": "a@example.com"}, subscriptions={}))
    fake = conflicting(2)
    if route == "put":
        status, _, _ = call("PUT", PREFS, token=sign("u-1"), body=valid_body(
            1, addresses={"EMAIL": "a@example.com"}, subscriptions={}, attributes={"first_name": "Bo"}))
    else:
        status, _, _ = call("POST", UNSUB, query={"token": sign("u-1", purpose="unsubscribe")}, headers=FORM,
                            body="List-Unsubscribe=One-Click")
    assert status == 200 and fake.calls == 3


@pytest.mark.parametrize("route", ["put", "one_click"])
def test_a_lasting_conflict_is_503_json_with_retry_after_and_stores_nothing(call, sign, stack, conflicting, route):
    call("PUT", PREFS, token=sign("u-1"), body=valid_body(addresses={"EMAIL": "a@example.com"}, subscriptions={}))
    before = snapshot(stack)
    conflicting(100)
    if route == "put":
        status, headers, body = call("PUT", PREFS, token=sign("u-1"), body=valid_body(
            1, addresses={"EMAIL": "a@example.com"}, subscriptions={}, attributes={"first_name": "Bo"}))
    else:
        status, headers, body = call("POST", UNSUB, query={"token": sign("u-1", purpose="unsubscribe")},
                                     headers=FORM, body="List-Unsubscribe=One-Click")
    assert (status, body, headers["retry-after"]) == (503, {"error": "busy"}, "1")
    assert snapshot(stack) == before


# --- tokens and keys -----------------------------------------------------------------------------------------

def test_a_genuine_token_expiring_beyond_the_longest_link_lifetime_is_refused(call, stack):
    keyring = tokens.load_keyring(stack["arn"], stack["secrets"])
    for expires_at in (2 ** 62, int(time.time()) + 31 * 86400):  # MAX_LINK_TTL_DAYS defaults to 30
        token = tokens.sign(tokens.Claims("u-1", "default", "manage", expires_at), keyring.current)
        assert call("GET", PREFS, token=token)[0] == 403
    fine = tokens.sign(tokens.Claims("u-1", "default", "manage", int(time.time()) + 29 * 86400), keyring.current)
    assert call("GET", PREFS, token=fine)[0] == 200


def test_a_token_from_a_rotation_newer_than_the_key_cache_is_accepted(call, stack, monkeypatch):
    assert call("GET", "/api/centers/default/config")[0] == 200  # the container caches k1
    stack["secrets"].put_secret_value(SecretId=stack["arn"], SecretString=preference_seed.new_key_secret_string("k2"))
    monkeypatch.setattr(tokens, "KEY_REFRESH_SECONDS", 0)
    new_key = tokens.load_keyring(stack["arn"], stack["secrets"], max_age=0).current
    token = tokens.sign(tokens.Claims("u-1", "default", "manage", int(time.time()) + 60), new_key)
    monkeypatch.setattr(tokens, "_cache", {stack["arn"]: (time.monotonic() - 1, tokens.Keyring(
        tokens.SigningKey("k1", b"1" * 32, preference_seed.origin_verify(stack["secrets"], stack["arn"]))))})
    assert call("GET", PREFS, token=token)[0] == 200


def test_an_expired_link_whose_key_was_rotated_out_says_expired(call, stack):
    old = tokens.SigningKey("gone", b"G" * 32)
    token = tokens.sign(tokens.Claims("u-1", "default", "manage", int(time.time()) - 10), old)
    assert call("GET", PREFS, token=token)[2] == {"error": "token_expired"}


def test_consent_records_the_viewers_address_not_cloudfronts(call, sign, stack):
    call("PUT", PREFS, token=sign("u-1"), body=valid_body(), headers={
        "cloudfront-viewer-address": "2001:db8::7:46532"})
    [record] = consent_records(stack)
    assert record["ip_hash"] == hashlib.sha256(b"2001:db8::7").hexdigest()


def test_responses_and_errors_are_never_attached_to_traces(call, stack, monkeypatch):
    from aws_lambda_powertools.tracing.tracer import Tracer

    seen = []
    monkeypatch.setattr(Tracer, "_add_response_as_metadata", lambda self, **kw: seen.append(kw["capture_response"]))
    monkeypatch.setattr(Tracer, "_add_full_exception_as_metadata", lambda self, **kw: seen.append(kw["capture_error"]))
    assert call("POST", OPTIN, body={"addresses": {"EMAIL": "ana@example.com"},
                                     "attributes": {"first_name": "Ana"}})[0] == 202
    assert seen == [False]
    assert confirm_links("ana@example.com")  # the token went to the address, and nowhere else


def test_when_the_keys_cannot_be_read_the_answer_is_json_503_not_a_bare_500(call, stack, monkeypatch):
    from functions.preference_api import settings

    class Down:
        exceptions = stack["secrets"].exceptions

        def get_secret_value(self, **_):
            raise RuntimeError("Secrets Manager unreachable")

    settings.use_client("secretsmanager", Down())
    status, headers, body = call("GET", "/api/centers/default/config")
    assert (status, body, headers["retry-after"]) == (503, {"error": "unavailable"}, "1")


# --- confirmation counters are written with the change they belong to ----------------------------------------

def test_a_stale_version_adding_addresses_is_409_and_counts_no_confirmation(call, sign, stack):
    # The per-address counters were incremented before the version check: a 409 stored them, sent nothing,
    # and three stale saves locked the user out of confirming that address for the day.
    before = snapshot(stack)
    status, _, body = call("PUT", PREFS, token=sign("u-1"), body=valid_body(version=3))
    assert (status, body) == (409, {"error": "version_conflict", "current_version": 0})
    assert snapshot(stack) == before and preference_seed.sent_messages() == [] and stack["sms"].sent == []


def test_an_optin_refused_for_one_address_counts_no_confirmation_for_the_other(call, stack):
    email_only = {k: v for k, v in valid_body().items() if k not in ("version", "unsubscribed_all")}
    email_only.update(addresses={"EMAIL": "ana@example.com"}, subscriptions={"runners-monthly": ["EMAIL"]})
    for _ in range(3):
        assert call("POST", OPTIN, body=email_only)[0] == 202
    before, mails = snapshot(stack), len(preference_seed.sent_messages())
    # the number comes first, so its counter was the one written before the e-mail's limit refused the request
    both = {**email_only, "addresses": {"SMS": "+34600111222", "EMAIL": "ana@example.com"}}
    status, _, body = call("POST", OPTIN, body=both)
    assert (status, body) == (429, {"error": "too_many_confirmations"})
    assert snapshot(stack) == before and stack["sms"].sent == [] and len(preference_seed.sent_messages()) == mails


def test_a_confirmation_counted_concurrently_is_read_again_and_both_count(call, stack):
    from functions.preference_api import addresses, settings

    real = stack["dynamodb"]
    table = stack["names"].addresses_table

    class CountsFirst(ConflictingDynamoDB):
        def transact_write_items(self, **kwargs):
            self.calls += 1
            if self.calls == 1:  # another request counts a message to the same address in between
                real.transact_write_items(TransactItems=[addresses.confirmation_item(
                    real, table, "default", "EMAIL", "ana@example.com", 3)])
            return real.transact_write_items(**kwargs)

    fake = CountsFirst(real, 0)
    settings.use_client("dynamodb", fake)
    body = {k: v for k, v in valid_body().items() if k not in ("version", "unsubscribed_all")}
    body.update(addresses={"EMAIL": "ana@example.com"}, subscriptions={})
    assert call("POST", OPTIN, body=body)[0] == 202
    item = real.get_item(TableName=table, Key=addresses.key("default", "EMAIL", "ana@example.com"))["Item"]
    assert (fake.calls, item["sent"]) == (2, {"N": "2"})

"""Double opt-in and address ownership: nobody can bind, change or re-subscribe an address they do not own."""
from __future__ import annotations

import json
import time

from functions.preference_api import tokens
from tools import preference_seed

from .conftest import confirm_links, fragment_token, sms_links, table_snapshot
from .test_handler import consent_records, valid_body

OPTIN = "/api/centers/default/optin"
PREFS = "/api/centers/default/preferences"
VICTIM = "victim@example.com"


def optin_body(email: str = VICTIM, **extra):
    return {"addresses": {"EMAIL": email}, "attributes": {"first_name": "Eve"},
            "subscriptions": {"weekly-specials": ["EMAIL"]}, **extra}


def record_of(stack, user_id):
    from functions.preference_api import store

    return store.get_preferences(stack["dynamodb"], stack["names"].preferences_table, "default", user_id)


def owner_of(stack, address, channel="EMAIL"):
    from functions.preference_api import addresses

    return addresses.owner(stack["dynamodb"], stack["names"].addresses_table, "default", channel, address)


def confirm(call, link):
    return call("POST", OPTIN, token=fragment_token(link), body={})


def test_anonymous_optin_stores_only_a_pending_address_and_returns_no_token(call, stack):
    # When anyone opts in someone else's address
    status, _, body = call("POST", OPTIN, body=optin_body())
    # Then the answer holds no token or user id, and the address is only pending
    assert (status, body) == (202, {"status": "confirmation_sent", "channels": ["EMAIL"]})
    [item] = stack["dynamodb"].scan(TableName=stack["names"].preferences_table)["Items"]
    record = record_of(stack, item["user_id"]["S"])
    assert record["addresses"] == {} and record["pending"] == {"EMAIL": VICTIM}
    assert owner_of(stack, VICTIM) is None
    # And the address itself received a link whose token only confirms
    [link] = confirm_links(VICTIM)
    assert link.startswith("https://d111.cloudfront.net/index.html?pc=default#confirm=v1.")
    claims = tokens.verify(fragment_token(link), tokens.load_keyring(stack["arn"], stack["secrets"]))
    assert (claims.purpose, claims.channel, claims.user_id) == ("confirm", "EMAIL", record["user_id"])
    assert claims.expires_at <= time.time() + 48 * 3600 + 5
    [request] = consent_records(stack, record["user_id"])
    assert request["source"] == "optin"


def test_confirming_binds_the_address_hands_out_the_manage_link_and_logs_a_second_entry(call, stack):
    call("POST", OPTIN, body=optin_body())
    [link] = confirm_links(VICTIM)
    status, _, body = confirm(call, link)
    assert status == 200 and body["confirmed"] == "EMAIL"
    assert body["preferences"]["addresses"] == {"EMAIL": VICTIM} and body["preferences"]["pending"] == {}
    assert body["manage_url"].startswith("https://d111.cloudfront.net/index.html?pc=default#token=v1.")
    user_id = body["preferences"]["user_id"]
    assert owner_of(stack, VICTIM) == user_id
    assert call("GET", PREFS, token=body["token"])[2]["subscriptions"] == {"weekly-specials": ["EMAIL"]}
    sources = [r["source"] for r in sorted(consent_records(stack, user_id), key=lambda r: r["recorded_at"])]
    assert sources == ["optin", "confirmation"]


def test_a_confirmation_link_works_once(call, stack):
    call("POST", OPTIN, body=optin_body())
    [link] = confirm_links(VICTIM)
    assert confirm(call, link)[0] == 200
    status, _, body = confirm(call, link)
    assert (status, body) == (403, {"error": "token_invalid"})


def test_a_newer_request_voids_the_older_link(call, stack, sign):
    token = sign("u-1")
    call("PUT", PREFS, token=token, body=valid_body(addresses={"EMAIL": "one@example.com"},
                                                   subscriptions={"runners-monthly": ["EMAIL"]}))
    call("PUT", PREFS, token=token, body=valid_body(1, addresses={"EMAIL": "two@example.com"},
                                                   subscriptions={"runners-monthly": ["EMAIL"]}))
    assert confirm(call, confirm_links("one@example.com")[0])[0] == 403
    assert confirm(call, confirm_links("two@example.com")[0])[0] == 200
    assert record_of(stack, "u-1")["addresses"] == {"EMAIL": "two@example.com"}


def test_confirm_token_cannot_manage_and_manage_token_cannot_confirm(call, stack, sign):
    call("POST", OPTIN, body=optin_body())
    [link] = confirm_links(VICTIM)
    assert call("GET", PREFS, token=fragment_token(link))[0] == 403
    assert call("POST", OPTIN, token=sign("u-1"), body={})[0] == 403


def test_text_plain_cross_site_post_is_415_and_stores_nothing(call, stack):
    before = table_snapshot(stack["dynamodb"], stack["names"].preferences_table)
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                         "application/jsonp", ""):
        status, _, body = call("POST", OPTIN, body=json.dumps(optin_body()), headers={"content-type": content_type})
        assert (status, body) == (415, {"error": "unsupported_media_type"})
    assert table_snapshot(stack["dynamodb"], stack["names"].preferences_table) == before
    assert preference_seed.sent_messages() == []


def test_json_with_charset_is_accepted(call):
    status, _, _ = call("POST", OPTIN, body=optin_body(), headers={"content-type": "application/json; charset=utf-8"})
    assert status == 202


def test_confirmations_to_one_address_are_rate_limited(call, stack):
    for _ in range(3):
        assert call("POST", OPTIN, body=optin_body())[0] == 202
    before = table_snapshot(stack["dynamodb"], stack["names"].preferences_table)
    status, headers, body = call("POST", OPTIN, body=optin_body())
    assert (status, body) == (429, {"error": "too_many_confirmations"})
    assert table_snapshot(stack["dynamodb"], stack["names"].preferences_table) == before
    assert len(confirm_links(VICTIM)) == 3
    assert call("POST", OPTIN, body=optin_body("someone.else@example.com"))[0] == 202


def test_an_optin_for_an_owned_address_never_touches_the_owners_record(call, stack, sign, confirm_all):
    token = sign("u-owner")
    call("PUT", PREFS, token=token, body=valid_body(addresses={"EMAIL": VICTIM}, subscriptions={}))
    confirm_all()
    owner_before = record_of(stack, "u-owner")
    # When an attacker opts the owner's address in to everything (and nobody follows the link)
    assert call("POST", OPTIN, body=optin_body(subscriptions={"weekly-specials": ["EMAIL"]}))[0] == 202
    # Then the owner's record and its ownership are exactly as before
    assert record_of(stack, "u-owner") == owner_before and owner_of(stack, VICTIM) == "u-owner"


def test_a_new_address_set_with_a_manage_link_stays_pending_and_the_old_one_stays_in_use(call, sign, stack,
                                                                                          confirm_all):
    token = sign("u-1")
    call("PUT", PREFS, token=token, body=valid_body(addresses={"EMAIL": "ana@example.com"},
                                                   subscriptions={"runners-monthly": ["EMAIL"]}))
    confirm_all()
    status, _, body = call("PUT", PREFS, token=token, body=valid_body(
        2, addresses={"EMAIL": "mallory@example.com"}, subscriptions={"runners-monthly": ["EMAIL"]}))
    assert status == 200
    assert body["addresses"] == {"EMAIL": "ana@example.com"} and body["pending"] == {"EMAIL": "mallory@example.com"}
    assert owner_of(stack, "ana@example.com") == "u-1" and owner_of(stack, "mallory@example.com") is None
    # Confirming moves the address and releases the old one.
    [(status, confirmed)] = confirm_all()
    assert status == 200 and "token" not in confirmed  # the record already had a confirmed address
    assert record_of(stack, "u-1")["addresses"] == {"EMAIL": "mallory@example.com"}
    assert owner_of(stack, "ana@example.com") is None and owner_of(stack, "mallory@example.com") == "u-1"


def test_two_records_never_share_an_address_the_confirmed_newcomer_wins(call, sign, stack, confirm_all):
    # Given u-old owns the address (a phone number later recycled, a mailbox handed over)
    call("PUT", PREFS, token=sign("u-old"), body=valid_body(
        addresses={"EMAIL": "shared@example.com", "SMS": "+34600111222"},
        subscriptions={"weekly-specials": ["EMAIL", "SMS"]}))
    confirm_all()
    # When another record asks for it and the address's holder confirms
    call("PUT", PREFS, token=sign("u-new"), body=valid_body(
        addresses={"EMAIL": "shared@example.com"}, subscriptions={"runners-monthly": ["EMAIL"]}))
    [(status, _)] = confirm_all()
    assert status == 200
    # Then the newcomer owns it and the old record is detached: no address, no EMAIL subscriptions
    assert owner_of(stack, "shared@example.com") == "u-new"
    old = record_of(stack, "u-old")
    assert old["addresses"] == {"SMS": "+34600111222"}
    assert old["subscriptions"] == {"weekly-specials": ["SMS"]}
    newest = max(consent_records(stack, "u-old"), key=lambda r: r["recorded_at"])
    assert newest["source"] == "detached"
    assert {"field": "addresses.EMAIL", "old": "shared@example.com", "new": None} in json.loads(newest["changes"])


def test_lifting_unsubscribe_all_needs_a_new_confirmation_of_the_address(call, sign, stack, confirm_all):
    token = sign("u-1")
    call("PUT", PREFS, token=token, body=valid_body(addresses={"EMAIL": "ana@example.com"},
                                                   subscriptions={"runners-monthly": ["EMAIL"]}))
    confirm_all()
    first_confirmation = record_of(stack, "u-1")["confirmed_at"]["EMAIL"]
    call("PUT", PREFS, token=token, body=valid_body(2, addresses={"EMAIL": "ana@example.com"}, subscriptions={},
                                                   unsubscribed_all=True))
    status, _, body = call("PUT", PREFS, token=token, body=valid_body(
        3, addresses={"EMAIL": "ana@example.com"}, subscriptions={"runners-monthly": ["EMAIL"]}))
    assert status == 200 and body["pending"] == {"EMAIL": "ana@example.com"}
    assert len(confirm_links("ana@example.com")) == 2
    confirm_all()
    assert record_of(stack, "u-1")["confirmed_at"]["EMAIL"] > first_confirmation


def test_resubscribing_a_number_by_sms_asks_the_number_to_confirm(call, sign, stack, confirm_all):
    token = sign("u-1")
    call("PUT", PREFS, token=token, body=valid_body(addresses={"EMAIL": "ana@example.com", "SMS": "+34600111222"},
                                                   subscriptions={"runners-monthly": ["EMAIL"]}))
    confirm_all()
    assert len(sms_links(stack)) == 1
    call("PUT", PREFS, token=token, body=valid_body(3, subscriptions={"weekly-specials": ["SMS"]},
                                                   addresses={"EMAIL": "ana@example.com", "SMS": "+34600111222"}))
    assert len(sms_links(stack)) == 2 and record_of(stack, "u-1")["pending"] == {"SMS": "+34600111222"}


def test_without_an_sms_sender_a_new_number_is_refused_with_a_clear_400(call, sign, stack, monkeypatch):
    from functions.preference_api import settings

    monkeypatch.setenv("SMS_ORIGINATION_IDENTITY", "")
    settings.settings.cache_clear()
    status, _, body = call("POST", OPTIN, body={"addresses": {"EMAIL": VICTIM, "SMS": "+34600111222"},
                                                "attributes": {"first_name": "Eve"}})
    assert status == 400 and body["fields"]["addresses.SMS"]["code"] == "unavailable"


def test_expired_confirmation_link_is_401(call, stack):
    keyring = tokens.load_keyring(stack["arn"], stack["secrets"])
    expired = tokens.sign(tokens.Claims("u-1", "default", "confirm", int(time.time()) - 1, channel="EMAIL",
                                        nonce="n"), keyring.current)
    assert call("POST", OPTIN, token=expired, body={})[0] == 401


def test_confirmation_that_cannot_be_sent_is_503_and_can_be_retried(call, stack, monkeypatch):
    from functions.preference_api import settings

    class Down:
        def send_email(self, **_):
            raise RuntimeError("SES down")

    settings.use_client("sesv2", Down())
    status, headers, body = call("POST", OPTIN, body=optin_body())
    assert (status, body, headers["retry-after"]) == (503, {"error": "confirmation_not_sent"}, "1")

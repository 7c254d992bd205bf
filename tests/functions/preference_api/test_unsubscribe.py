"""RFC 8058 one-click unsubscribe: POST unsubscribes, GET only shows a confirmation form."""
from __future__ import annotations


import pytest

from .test_handler import consent_records, valid_body

UNSUB = "/api/centers/default/unsubscribe"
PREFS = "/api/centers/default/preferences"
FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture
def subscribed(call, sign):
    assert call("PUT", PREFS, token=sign("u-1"), body=valid_body())[0] == 200


def read(call, sign):
    return call("GET", PREFS, token=sign("u-1"))[2]


@pytest.mark.parametrize("base64_body", [False, True])
def test_one_click_post_unsubscribes_from_the_tokens_publication(call, sign, subscribed, stack, base64_body):
    token = sign("u-1", purpose="unsubscribe", publication="weekly-specials")
    status, headers, body = call("POST", UNSUB, query={"token": token}, headers=FORM,
                                 body="List-Unsubscribe=One-Click", base64_body=base64_body)
    assert status == 200 and body == {"unsubscribed": "weekly-specials", "version": 2}
    assert read(call, sign)["subscriptions"] == {"runners-monthly": ["EMAIL"]}
    newest = max(consent_records(stack), key=lambda r: r["recorded_at"])
    assert newest["source"] == "one_click"


def test_one_click_without_publication_unsubscribes_from_all(call, sign, subscribed):
    token = sign("u-1", purpose="unsubscribe")
    status, _, body = call("POST", UNSUB, query={"token": token}, headers=FORM, body="List-Unsubscribe=One-Click")
    assert status == 200 and body["unsubscribed"] == "all"
    prefs = read(call, sign)
    assert prefs["unsubscribed_all"] is True and prefs["subscriptions"] == {}


def test_one_click_accepts_multipart_form_data(call, sign, subscribed):
    token = sign("u-1", purpose="unsubscribe")
    body = ("--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n")
    status, _, _ = call("POST", UNSUB, query={"token": token}, body=body,
                        headers={"content-type": "multipart/form-data; boundary=XyZ"})
    assert status == 200 and read(call, sign)["unsubscribed_all"] is True


def test_repeated_one_click_is_idempotent(call, sign, subscribed, stack):
    token = sign("u-1", purpose="unsubscribe", publication="weekly-specials")
    for _ in range(2):
        assert call("POST", UNSUB, query={"token": token}, headers=FORM, body="List-Unsubscribe=One-Click")[0] == 200
    assert len(consent_records(stack)) == 2  # the PUT and one unsubscribe; the repeat changed nothing


@pytest.mark.parametrize("body", ["", "List-Unsubscribe=Yes", "List-Unsubscribe=One-Click&x=1", "junk", "%%%"])
def test_any_other_body_is_400_and_changes_nothing(call, sign, subscribed, body):
    token = sign("u-1", purpose="unsubscribe")
    status, _, response = call("POST", UNSUB, query={"token": token}, headers=FORM, body=body)
    assert status == 400 and response["error"] == "validation_failed"
    assert read(call, sign)["version"] == 1


def test_get_shows_a_confirmation_form_and_does_not_unsubscribe(call, sign, subscribed):
    token = sign("u-1", purpose="unsubscribe", publication="weekly-specials")
    status, headers, page = call("GET", UNSUB, query={"token": token, "lang": "es"})
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert '<html lang="es">' in page and "<script" not in page
    assert 'method="post"' in page and 'name="List-Unsubscribe" value="One-Click"' in page
    assert "script-src" not in headers["content-security-policy"]  # default-src 'none' forbids all script
    assert read(call, sign)["version"] == 1


def test_get_with_expired_token_shows_html_expired_page(call, sign):
    status, headers, page = call("GET", UNSUB, query={"token": sign("u-1", purpose="unsubscribe", ttl=-1)})
    assert status == 401 and headers["content-type"].startswith("text/html")
    assert "This link has expired" in page


def test_post_with_manage_token_is_403(call, sign, subscribed):
    status, _, body = call("POST", UNSUB, query={"token": sign("u-1")}, headers=FORM,
                           body="List-Unsubscribe=One-Click")
    assert (status, body) == (403, {"error": "token_invalid"})


def test_browser_form_post_gets_an_html_confirmation(call, sign, subscribed):
    token = sign("u-1", purpose="unsubscribe")
    status, headers, page = call("POST", UNSUB, query={"token": token}, body="List-Unsubscribe=One-Click",
                                 headers={**FORM, "accept": "text/html,application/xhtml+xml"})
    assert status == 200 and "You have been unsubscribed." in page


def test_config_text_is_escaped_in_the_html_page(call, sign, stack, sample_config):
    from functions.preference_api import center
    from tools import preference_seed

    sample_config["text"]["en"]["header"] = "<script>alert(1)</script>"
    preference_seed.put_config(stack["dynamodb"], sample_config, stack["names"], version=2)
    center.clear_cache()
    _, _, page = call("GET", UNSUB, query={"token": sign("u-1", purpose="unsubscribe")})
    assert "<script>" not in page and "&lt;script&gt;" in page

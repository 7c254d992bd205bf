"""Senders' link tool: the links it prints are accepted by the API's own verifier and the real handler."""
from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from moto import mock_aws

from functions.preference_api import tokens
from tools import preference_link, preference_seed

KEY = tokens.SigningKey("k1", b"K" * 32)


def token_of(url: str) -> str:
    parts = urlsplit(url)
    return parse_qs(parts.fragment or parts.query)["token"][0]


def test_links_carry_tokens_for_the_right_purpose_and_publication():
    links = preference_link.build_links(KEY, center="default", user="u-123", publication="weekly-specials",
                                        base_url="https://d111.cloudfront.net/", ttl_days=30, now=1_000_000)
    manage = tokens.verify(token_of(links.manage_url), tokens.Keyring(KEY), now=1_000_001)
    unsubscribe = tokens.verify(token_of(links.unsubscribe_url), tokens.Keyring(KEY), now=1_000_001)
    assert (manage.purpose, manage.user_id, manage.publication_id) == ("manage", "u-123", None)
    assert (unsubscribe.purpose, unsubscribe.publication_id) == ("unsubscribe", "weekly-specials")
    assert manage.expires_at == 1_000_000 + 30 * 86400
    # The manage token rides in the fragment: browsers never send it, so no server or CDN log holds it.
    assert links.manage_url.startswith("https://d111.cloudfront.net/index.html?pc=default#token=")
    assert links.unsubscribe_url.startswith("https://d111.cloudfront.net/api/centers/default/unsubscribe?token=")
    assert links.headers == {"List-Unsubscribe": f"<{links.unsubscribe_url}>",
                             "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def test_the_campaign_of_the_message_is_signed_into_the_one_click_link_only():
    links = preference_link.build_links(KEY, center="default", user="u-1", campaign="spring-sale.w12",
                                        base_url="https://d111.cloudfront.net", now=1_000_000)
    assert tokens.verify(token_of(links.unsubscribe_url), tokens.Keyring(KEY), now=1_000_001).campaign_id == \
        "spring-sale.w12"
    assert tokens.verify(token_of(links.manage_url), tokens.Keyring(KEY), now=1_000_001).campaign_id is None
    with pytest.raises(ValueError, match="campaign"):
        preference_link.build_links(KEY, center="default", user="u", base_url="https://x", campaign="a b")


def test_a_signed_campaign_of_another_shape_is_ignored_not_trusted():
    # A signer other than build_links could put anything there; the API only reports a well-formed id
    token = tokens.sign(tokens.Claims("u", "default", "unsubscribe", 2_000_000, campaign_id="x" * 300), KEY)
    assert tokens.verify(token, tokens.Keyring(KEY), now=1_000_000).campaign_id is None


@pytest.mark.parametrize(("base_url", "ttl"), [("http://example.com", 30), ("https://x", 0), ("https://x", 400)])
def test_unsafe_arguments_are_refused(base_url, ttl):
    with pytest.raises(ValueError):
        preference_link.build_links(KEY, center="default", user="u", base_url=base_url, ttl_days=ttl)


def test_cli_prints_links_and_headers_signed_with_the_current_secret(monkeypatch, capsys):
    for key, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "x", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(key, value)
    tokens.clear_key_cache()
    with mock_aws():
        client = boto3.client("secretsmanager")
        arn = preference_seed.create_signing_secret(client, kid="live")
        preference_link.main(["--secret-arn", arn, "--center", "default", "--user", "u-123",
                              "--publication", "weekly-specials", "--ttl-days", "7",
                              "--base-url", "https://d111.cloudfront.net"], secretsmanager=client)
        keyring = tokens.load_keyring(arn, client)
    tokens.clear_key_cache()
    lines = dict(line.split(": ", 1) for line in capsys.readouterr().out.strip().splitlines())
    assert lines["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert lines["List-Unsubscribe"] == f"<{lines['One-click unsubscribe']}>"
    claims = tokens.verify(token_of(lines["Manage preferences"]), keyring)
    assert claims.user_id == "u-123" and claims.expires_at <= time.time() + 7 * 86400 + 1
    assert token_of(lines["Manage preferences"]).startswith("v1.live.")

"""Senders' side of the signed links: management link, one-click unsubscribe URL and RFC 8058 headers.

    python -m tools.preference_link --secret-arn ARN --center default --user u-123 \
        [--publication weekly] [--campaign spring-sale] [--ttl-days 30] --base-url https://dxxx.cloudfront.net

Signing reuses functions.preference_api.tokens (the verifier's own code) with the secret's AWSCURRENT key.
The manage link carries its token in the URL fragment (never sent to a server, so never in a log); the
one-click URL must carry it in the query (mail clients POST to it), and the access logs leave queries out.
--ttl-days must not exceed the stack's engagement:preferenceCenterMaxLinkTtlDays: the API refuses longer links.
"""
from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from functions.preference_api import tokens


@dataclass(frozen=True)
class Links:
    manage_url: str
    unsubscribe_url: str

    @property
    def headers(self) -> dict[str, str]:
        # RFC 8058: the HTTPS URI in List-Unsubscribe plus this exact List-Unsubscribe-Post value.
        return {"List-Unsubscribe": f"<{self.unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def build_links(key: tokens.SigningKey, *, center: str, user: str, base_url: str, ttl_days: int = 30,
                publication: str | None = None, campaign: str | None = None, now: float | None = None) -> Links:
    """`campaign` (the campaign of the message carrying the links) is signed into the one-click URL, so the
    unsubscribe it makes is counted for that campaign (events database: campaign_funnel, email_unsubscribe)."""
    if not base_url.startswith("https://") and not base_url.startswith("http://127.0.0.1"):
        raise ValueError("base_url must be https:// (mail clients only POST one-click unsubscribes over HTTPS)")
    if not 1 <= ttl_days <= 365:
        raise ValueError("ttl_days must be between 1 and 365")
    if campaign is not None and not tokens.CAMPAIGN_ID.fullmatch(campaign):
        raise ValueError("campaign must be 1-128 letters, digits, '.', '_' or '-'")
    expires = int(now if now is not None else time.time()) + ttl_days * 86400
    base = base_url.rstrip("/")
    manage = tokens.sign(tokens.Claims(user, center, "manage", expires), key)
    unsubscribe = tokens.sign(tokens.Claims(user, center, "unsubscribe", expires, publication,
                                            campaign_id=campaign), key)
    return Links(manage_url=f"{base}/index.html?pc={quote(center)}#token={manage}",
                 unsubscribe_url=f"{base}/api/centers/{quote(center)}/unsubscribe?token={unsubscribe}")


def main(argv: list[str] | None = None, secretsmanager: Any = None) -> None:
    parser = argparse.ArgumentParser(description="Print signed preference-center links for one recipient.")
    parser.add_argument("--secret-arn", required=True)
    parser.add_argument("--center", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--publication")
    parser.add_argument("--campaign", help="the campaign of the message these links go into")
    parser.add_argument("--ttl-days", type=int, default=30)
    parser.add_argument("--base-url", required=True)
    args = parser.parse_args(argv)
    if secretsmanager is None:
        import boto3

        secretsmanager = boto3.client("secretsmanager")
    key = tokens.load_keyring(args.secret_arn, secretsmanager).current
    try:
        links = build_links(key, center=args.center, user=args.user, base_url=args.base_url,
                            ttl_days=args.ttl_days, publication=args.publication, campaign=args.campaign)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"Manage preferences: {links.manage_url}")
    print(f"One-click unsubscribe: {links.unsubscribe_url}")
    for name, value in links.headers.items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()

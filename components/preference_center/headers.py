"""The CloudFront response-headers policy, built from preference_center/security_headers.py (one source).

Every header in PAGE_HEADERS is sent with exactly that value; one the policy has no dedicated field for
becomes a custom header, so adding a header there can never silently drop it here.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

import pulumi
import pulumi_aws as aws

from preference_center.security_headers import PAGE_HEADERS

_args = aws.cloudfront


def _hsts(value: str) -> _args.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs:
    directives = [part.strip().lower() for part in value.split(";") if part.strip()]
    max_age = next((int(d.split("=", 1)[1]) for d in directives if d.startswith("max-age=")), None)
    if max_age is None or not set(directives) <= {f"max-age={max_age}", "includesubdomains", "preload"}:
        raise ValueError(f"Strict-Transport-Security {value!r}: only max-age, includeSubDomains and preload "
                         "can be expressed in a CloudFront response-headers policy")
    return _args.ResponseHeadersPolicySecurityHeadersConfigStrictTransportSecurityArgs(
        access_control_max_age_sec=max_age, include_subdomains="includesubdomains" in directives,
        preload="preload" in directives, override=True)


def policy_config(headers: Mapping[str, str]) -> tuple[_args.ResponseHeadersPolicySecurityHeadersConfigArgs,
                                                      list[_args.ResponseHeadersPolicyCustomHeadersConfigItemArgs]]:
    """(security headers config, custom headers) sending exactly `headers`."""
    security: dict = {}
    custom = []
    for header, value in headers.items():
        match header.lower():
            case "content-security-policy":
                # override=False: the API's own, stricter CSPs (JSON and the unsubscribe page) must survive;
                # S3 sends none, so the page always gets this one.
                security["content_security_policy"] = (
                    _args.ResponseHeadersPolicySecurityHeadersConfigContentSecurityPolicyArgs(
                        content_security_policy=value, override=False))
            case "strict-transport-security":
                security["strict_transport_security"] = _hsts(value)
            case "x-content-type-options" if value.lower() == "nosniff":
                security["content_type_options"] = (
                    _args.ResponseHeadersPolicySecurityHeadersConfigContentTypeOptionsArgs(override=True))
            case "x-frame-options" if value.upper() in ("DENY", "SAMEORIGIN"):
                security["frame_options"] = _args.ResponseHeadersPolicySecurityHeadersConfigFrameOptionsArgs(
                    frame_option=value.upper(), override=True)
            case "referrer-policy":
                security["referrer_policy"] = _args.ResponseHeadersPolicySecurityHeadersConfigReferrerPolicyArgs(
                    referrer_policy=value, override=True)
            case "x-xss-protection":
                raise ValueError("X-XSS-Protection is deprecated; rely on the Content-Security-Policy")
            case _:
                if not re.fullmatch(r"[A-Za-z0-9-]+", header):
                    raise ValueError(f"invalid header name {header!r}")
                custom.append(_args.ResponseHeadersPolicyCustomHeadersConfigItemArgs(
                    header=header, value=value, override=True))
    return _args.ResponseHeadersPolicySecurityHeadersConfigArgs(**security), custom


def create_headers_policy(name: str, parent: pulumi.Resource) -> aws.cloudfront.ResponseHeadersPolicy:
    security, custom = policy_config(PAGE_HEADERS)
    return aws.cloudfront.ResponseHeadersPolicy(
        f"{name}-headers", name=f"{pulumi.get_project()}-{pulumi.get_stack()}-preference-center",
        comment="Security headers of the preference page and API (preference_center/security_headers.py)",
        security_headers_config=security,
        custom_headers_config=_args.ResponseHeadersPolicyCustomHeadersConfigArgs(items=custom) if custom else None,
        opts=pulumi.ResourceOptions(parent=parent))

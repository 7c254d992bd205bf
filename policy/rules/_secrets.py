"""Secrets found by value in any resource's inputs (not a rule; used by the secret-values rule).

Three signals, each from where it is strongest:
- known key formats and credentials in URLs: detect-secrets' regex detectors (AWS, GitHub, GitLab, Slack,
  Stripe, SendGrid, JWT, private keys, npm, PyPI, basic auth in a URL, ...);
- a literal under a name that means secret (`PASSWORD`, `api_key`, `client_secret`...) in any free-form map
  (Lambda environment, Glue connection properties, job arguments, tags) or input;
- high entropy (base64 or hex) in free-form maps, where ids and hashes of the provider do not live.
References are not secrets: ARNs, `{{resolve:...}}`, `${...}` placeholders, parameter paths, aliases.
"""
from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from functools import cache, lru_cache
from typing import Any

from pulumi_policy.proxy import UnknownValueError

# detect-secrets detectors whose patterns match ordinary identifiers or addresses too often to be a signal here.
NOISY = frozenset({"ArtifactoryDetector", "IPPublicDetector", "CloudantDetector", "IbmCloudIamDetector",
                   "IbmCosHmacDetector", "SoftlayerDetector", "TwilioKeyDetector", "TelegramBotTokenDetector",
                   "KeywordDetector", "Base64HighEntropyString", "HexHighEntropyString"})
SECRET_NAME = re.compile(r"(pass(word|wd|phrase)?|pwd|secret|token|api_?key|apikey|private_?key|credential|"
                         r"auth_?key|access_?key|client_?secret|signing_?key)$|^(password|secret|token)",
                         re.IGNORECASE)
NOT_SECRET_NAME = re.compile(r"(_arn|_name|_id|_url|_path|_table|_param(eter)?|arn|name|id|type|length|ttl|"
                             r"_days|_seconds|rotation|_prefix|_header)$", re.IGNORECASE)
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # a variable or property name, not a condition key
REFERENCE = re.compile(r"^(arn:aws[a-z-]*:|\{\{resolve:|\$\{|/|alias/|ssm:|secretsmanager:|https?://[^@/]+(/|$))")
# Maps whose keys are names the user chose, so any value may be a credential.
FREE_FORM = ("variables", "connectionProperties", "defaultArguments", "arguments", "parameters", "tags",
             "environment", "properties", "headers")
# Inputs that carry a secret by design, from configuration secrets or a generator.
CARRIERS = {"aws:secretsmanager/secretVersion:SecretVersion": ("secretString", "secretBinary"),
            "aws:ssm/parameter:Parameter": ("value",), "aws:iam/userLoginProfile:UserLoginProfile": ()}
# Provider-computed or content-addressed values: high entropy by nature.
SKIP_KEYS = frozenset({"sourceCodeHash", "etag", "sourceHash", "codeSha256", "hash", "checksum", "version",
                       "tagsAll", "id", "urn", "arn", "keyId", "uniqueId", "certificateBody", "publicKey"})


@cache
def _detectors() -> tuple[Any, ...]:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    return tuple(cls() for cls in get_mapping_from_secret_type_to_class().values() if cls.__name__ not in NOISY)


def _entropy(text: str, charset: str) -> float:
    counts = {c: text.count(c) for c in set(text) if c in charset}
    total = len(text)
    return -sum(n / total * math.log2(n / total) for n in counts.values()) if total else 0.0


_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=_-"
_HEX = "0123456789abcdefABCDEF"


def high_entropy(value: str) -> bool:
    token = value.strip()
    if len(token) < 20 or " " in token or not set(token) <= set(_BASE64):
        return False
    if set(token) <= set(_HEX):
        return _entropy(token, _HEX) > 3.0 and len(token) >= 32
    return _entropy(token, _BASE64) > 4.5 and any(c.isdigit() for c in token) and any(c.isupper() for c in token)


@lru_cache(maxsize=8192)  # the same tag values, ARNs and names recur on most resources of a stack
def known_format(value: str) -> str | None:
    if len(value) < 12:  # no key format or URL with credentials is shorter; most names and enums are
        return None
    for detector in _detectors():
        if any(True for _ in detector.analyze_string(value)):
            return detector.secret_type
    return None


def literal(value: str) -> bool:
    return bool(value) and len(value) >= 6 and not REFERENCE.match(value) and value not in ("true", "false")


def _known(container: Any, index: Any) -> tuple[bool, Any]:
    """(True, value), or (False, None) for a value computed by a provider (unknown during a preview): that is
    never a literal written in the program, so there is nothing to scan and nothing to report as unchecked."""
    try:
        return True, container[index]
    except UnknownValueError:
        return False, None


def _walk(value: Any, path: str, key: str, free_form: bool) -> Iterator[tuple[str, str, str, bool]]:
    if isinstance(value, Mapping):
        for k in list(value):
            known, v = _known(value, k)
            if known and k not in SKIP_KEYS:
                yield from _walk(v, f"{path}.{k}" if path else str(k), str(k), free_form or k in FREE_FORM)
    elif isinstance(value, (list, tuple)):
        for i in range(len(value)):
            known, v = _known(value, i)
            if known:
                yield from _walk(v, f"{path}.{i}", key, free_form)
    elif isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in "{[" and len(stripped) > 1:
            try:
                parsed = json.loads(stripped)
            except ValueError:
                parsed = None
            if isinstance(parsed, (Mapping, list)):
                yield from _walk(parsed, path, key, True)
                return
        yield path, key, value, free_form


def find(props: Any, resource_type: str = "") -> list[tuple[str, str]]:
    """(path, what) for every input of a resource that holds a secret by value."""
    carried = CARRIERS.get(resource_type, ())
    found = []
    for path, key, value, free_form in _walk(props, "", "", False):
        if path.split(".", 1)[0] in carried:
            continue
        kind = known_format(value)
        named = IDENTIFIER.fullmatch(key) and SECRET_NAME.search(key) and not NOT_SECRET_NAME.search(key)
        if kind is None and named and literal(value):
            kind = f"a literal value under the secret-like name {key!r}"
        if kind is None and free_form and not NOT_SECRET_NAME.search(key) and literal(value) and high_entropy(value):
            kind = "a high-entropy literal"
        if kind:
            found.append((path, kind))
    return found

"""The one IAM policy model: every rule that reads a policy document (identity, trust or resource policy) uses it.

`parse(document)` turns a JSON string or dict into normalised `Statement`s: actions expanded against the real
action catalogue (`_iam_catalogue`, so `iam:Pass*`, `s3:*Object` and `NotAction` mean what IAM makes of them),
resources and principals as tuples, conditions as `Condition`s. On top of that, the questions rules ask:

- `restricts_caller(condition)`: does this condition really pin the caller to known accounts, organisations,
  networks or resources? Values are read: `arn:aws:s3:::*`, `arn:aws:iam::*:role/x`, `o-*` restrict nothing;
  neither do negated operators, `...IfExists`, `ForAllValues` (true when the key is absent), `Null`, or keys such
  as `aws:SecureTransport`.
- `is_public(statement)`: Allow to `*` (or via NotPrincipal) without a condition that restricts the caller.
- `unbounded(statement)`: Allow on every resource (`*`, `arn:aws:s3:::*`, `arn:aws:s3:::app-*`,
  `arn:aws:iam::*:role/*`, NotResource).
- `unscoped_actions(statements)`: what a set of documents lets a principal do on every resource, unconditionally,
  after explicit Deny statements (`aws:ResourceAccount` pinned to an account scopes like an account in the
  ARN); the basis of the wildcard, PassRole and privilege-escalation rules.
- `web_identity_gaps(statement)`: OIDC/Cognito trust without a specific subject (any GitHub repository...).

Adding a rule that reads a document: `for statement in parse(props.get("policy")): ...` and ask the questions
above; never match action strings literally.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rules import _iam_catalogue as catalogue

ACCOUNT = re.compile(r"^\d{12}$")
# Condition keys that, with a concrete value and a positive operator, pin who may call or from where.
CALLER_KEYS = frozenset({
    "aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:sourceorgid", "aws:sourceorgpaths",
    "aws:principalaccount", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths", "aws:userid",
    "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip", "kms:calleraccount"})
# Condition keys that, in an identity policy, pin the resources acted on to known accounts or organisations.
RESOURCE_OWNER_KEYS = frozenset({"aws:resourceaccount", "aws:resourceorgid", "aws:resourceorgpaths"})
POSITIVE_OPERATORS = frozenset({"stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike",
                                "ipaddress"})
NEGATED_OPERATORS = frozenset({"stringnotequals", "stringnotequalsignorecase", "stringnotlike", "arnnotequals",
                               "arnnotlike", "notipaddress", "numericnotequals", "datenotequals"})
ASSUME_WEB_IDENTITY = "sts:assumerolewithwebidentity"
# Services whose actions take resources named in another service's ARN namespace: sts:AssumeRole acts on
# `arn:aws:iam::...:role/...`, ssm:SendCommand and ssm:StartSession on `arn:aws:ec2:...:instance/...`.
ARN_NAMESPACES = {"sts": frozenset({"sts", "iam"}), "ssm": frozenset({"ssm", "ec2"})}


@dataclass(frozen=True)
class Condition:
    operator: str
    """Base operator, lower-case, without qualifier or IfExists (`stringequals`)."""
    key: str
    """Lower-case condition key."""
    values: tuple[str, ...]
    qualifier: str = ""
    """`forallvalues`, `foranyvalue` or empty."""
    if_exists: bool = False

    @property
    def negated(self) -> bool:
        return self.operator in NEGATED_OPERATORS


@dataclass(frozen=True)
class Statement:
    sid: str
    effect: str
    actions: frozenset[str]
    """Every action the statement applies to, lower-case `service:action` (NotAction already inverted)."""
    action_patterns: tuple[str, ...]
    not_action: bool
    resources: tuple[str, ...]
    not_resource: bool
    principals: Mapping[str, tuple[str, ...]] | None
    """`{"AWS": (...), "Service": (...), "Federated": (...)}`; `"*"` becomes `{"AWS": ("*",)}`; None if absent."""
    not_principal: bool
    conditions: tuple[Condition, ...]

    @property
    def allow(self) -> bool:
        return self.effect == "Allow"

    @property
    def label(self) -> str:
        return repr(self.sid) if self.sid else "(no Sid)"

    def principal_values(self, kind: str | None = None) -> tuple[str, ...]:
        if not self.principals:
            return ()
        if kind:
            return self.principals.get(kind, ())
        return tuple(v for values in self.principals.values() for v in values)

    def grants(self, action: str) -> bool:
        return action.lower() in self.actions


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int, float, bool)):
        return (str(value).lower() if isinstance(value, bool) else str(value),)
    return tuple(str(v).lower() if isinstance(v, bool) else str(v) for v in value)


def _conditions(block: Any) -> tuple[Condition, ...]:
    if not isinstance(block, Mapping):
        return ()
    found = []
    for operator, pairs in block.items():
        name = str(operator).lower()
        qualifier = ""
        if ":" in name:
            qualifier, name = name.split(":", 1)
        if_exists = name.endswith("ifexists")
        name = name.removesuffix("ifexists")
        for key, values in (pairs.items() if isinstance(pairs, Mapping) else ()):
            found.append(Condition(name, str(key).lower(), _strings(values), qualifier, if_exists))
    return tuple(found)


def _principals(value: Any) -> Mapping[str, tuple[str, ...]] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return {"AWS": (value,)}
    if isinstance(value, Mapping):
        return {str(kind): _strings(values) for kind, values in value.items()}
    return {"AWS": _strings(value)}


def _actions(patterns: tuple[str, ...], inverted: bool) -> frozenset[str]:
    named = frozenset().union(*(catalogue.expand(p) for p in patterns)) if patterns else frozenset()
    return catalogue.all_actions() - named if inverted else named


def _statement(raw: Mapping[str, Any]) -> Statement:
    keys = {str(k).lower(): v for k, v in raw.items()}
    not_action = "notaction" in keys
    patterns = _strings(keys.get("notaction") if not_action else keys.get("action"))
    not_resource = "notresource" in keys
    not_principal = "notprincipal" in keys
    return Statement(
        sid=str(keys.get("sid") or ""), effect=str(keys.get("effect") or "").capitalize(),
        actions=_actions(patterns, not_action), action_patterns=patterns, not_action=not_action,
        resources=_strings(keys.get("notresource") if not_resource else keys.get("resource")),
        not_resource=not_resource,
        principals=_principals(keys.get("notprincipal") if not_principal else keys.get("principal")),
        not_principal=not_principal, conditions=_conditions(keys.get("condition")))


@lru_cache(maxsize=512)
def _parse_text(text: str) -> tuple[Statement, ...]:
    try:
        return _parse_value(json.loads(text))
    except (json.JSONDecodeError, TypeError, ValueError):
        return ()


def _parse_value(document: Any) -> tuple[Statement, ...]:
    if not isinstance(document, Mapping):
        return ()
    statements = document.get("Statement", [])
    if isinstance(statements, Mapping):
        statements = [statements]
    return tuple(_statement(s) for s in statements if isinstance(s, Mapping))


def parse(document: Any) -> tuple[Statement, ...]:
    """Statements of a policy document given as JSON text or as a mapping; () for anything else."""
    if isinstance(document, str):
        return _parse_text(document)
    return _parse_value(json.loads(json.dumps(document, default=str))) if isinstance(document, Mapping) else ()


def parse_all(documents: Iterable[Any]) -> tuple[Statement, ...]:
    return tuple(s for d in documents for s in parse(d))


# --- resources -----------------------------------------------------------------------------------------------

def _wild_only(text: str) -> bool:
    return bool(text) and set(text) <= {"*", "?", "/", ":"}


def _identifier(parts: list[str]) -> str:
    """The part of an ARN that names the resource: after the type prefix (`role/`, `function:`), or the bucket."""
    rest = parts[5]
    if parts[2] == "s3":
        return rest.split("/", 1)[0]
    return re.split(r"[:/]", rest, maxsplit=1)[-1] if re.search(r"[:/]", rest) else rest


def resource_unbounded(resource: str) -> bool:
    """True if an ARN pattern covers every resource of its type in any account (or everything).

    `*`, `arn:aws:s3:::*`, `arn:aws:s3:::*/*`, `arn:*:iam::*:role/*`, `arn:aws:lambda:*:*:function:*`, and a
    bucket-name wildcard (`arn:aws:s3:::app-*/*`): S3 ARNs carry no account and bucket names are global, so any
    account can create a bucket the pattern matches (a place to write data out to, or to read planted data from).
    """
    if _wild_only(resource):
        return True
    parts = resource.split(":", 5)
    if len(parts) < 6:
        return False
    account = parts[4]
    if parts[2] == "s3" and not account and re.search(r"[*?]", _identifier(parts)):
        return True
    return (account in ("", "*") or _wild_only(account)) and _wild_only(_identifier(parts))


def resource_all_of_type(resource: str) -> bool:
    """True if an ARN pattern covers every resource of its type, even within one account (`...:role/*`)."""
    if resource_unbounded(resource):
        return True
    parts = resource.split(":", 5)
    return len(parts) == 6 and _wild_only(_identifier(parts))


def unbounded_services(statement: Statement, *, within_account: bool = False) -> set[str] | None:
    """Services whose every resource the statement covers; None means every service (`*`, NotResource, or an
    ARN pattern with a wildcard service). An ARN names one service's resources, so `arn:aws:sqs:*:*:*` covers
    every queue but no Kinesis stream."""
    if statement.not_resource:
        return None
    test = resource_all_of_type if within_account else resource_unbounded
    services: set[str] = set()
    for resource in statement.resources:
        if not test(resource):
            continue
        parts = resource.split(":", 5)
        if len(parts) < 6 or _wild_only(parts[2]) or not parts[2]:
            return None
        services.add(parts[2].lower())
    return services


def arn_namespaces(action: str) -> frozenset[str]:
    """The ARN service names an action's resources can carry (its own prefix, plus ARN_NAMESPACES)."""
    service = action.split(":", 1)[0]
    return ARN_NAMESPACES.get(service, frozenset({service}))


def unbounded(statement: Statement, *, within_account: bool = False) -> bool:
    """Does the statement apply to every resource (of the types its actions take)? NotResource counts as yes."""
    if statement.not_resource:
        return True
    test = resource_all_of_type if within_account else resource_unbounded
    return any(test(r) for r in statement.resources)


# --- conditions and principals -------------------------------------------------------------------------------

def _value_is_specific(key: str, value: str, operator: str) -> bool:
    wildcard = operator == "stringlike" or operator == "arnlike"
    if key in ("aws:sourceaccount", "aws:principalaccount", "kms:calleraccount", "aws:sourceowner",
               "aws:resourceaccount"):
        return bool(ACCOUNT.match(value))
    if key in ("aws:principalorgid", "aws:sourceorgid", "aws:resourceorgid"):
        return bool(re.fullmatch(r"o-[a-z0-9]{10,32}", value))
    if key in ("aws:principalorgpaths", "aws:sourceorgpaths", "aws:resourceorgpaths"):
        return bool(re.match(r"o-[a-z0-9]{10,32}/", value))
    if key in ("aws:sourcearn", "aws:principalarn"):
        parts = value.split(":", 5)
        if len(parts) < 6:
            return False
        account = parts[4]
        if account:
            return bool(ACCOUNT.match(account))
        # ARNs without an account (S3 buckets): the bucket name must be whole, or anyone could create a match.
        name = re.split(r"/", parts[5], maxsplit=1)[0]
        return bool(name) and not (wildcard and ("*" in name or "?" in name))
    if key == "aws:sourceip":
        return value not in ("0.0.0.0/0", "::/0") and not value.endswith("/0")
    return bool(value) and not _wild_only(value)


def _pins(condition: Condition) -> bool:
    """A positive operator that requires the key, with specific values."""
    if condition.operator not in POSITIVE_OPERATORS:
        return False
    if condition.if_exists or condition.qualifier == "forallvalues" or not condition.values:
        return False
    return all(_value_is_specific(condition.key, v, condition.operator) for v in condition.values)


def restricts_caller(condition: Condition) -> bool:
    """A condition that pins the caller: a caller key, a positive operator that requires the key, specific values."""
    return condition.key in CALLER_KEYS and _pins(condition)


def resource_owner_restrictions(statement: Statement) -> list[Condition]:
    """Conditions that pin the resources to accounts or organisations (`aws:ResourceAccount`), which makes a
    `Resource: *` statement no broader than an ARN pattern naming the account."""
    return [c for c in statement.conditions if c.key in RESOURCE_OWNER_KEYS and _pins(c)]


def caller_restrictions(statement: Statement, keys: Iterable[str] = CALLER_KEYS) -> list[Condition]:
    wanted = {k.lower() for k in keys}
    return [c for c in statement.conditions if c.key in wanted and restricts_caller(c)]


def is_public(statement: Statement) -> bool:
    """Allow to everyone (`*`, AWS `*`, or NotPrincipal) without a condition that restricts the caller."""
    if not statement.allow:
        return False
    everyone = statement.not_principal or "*" in statement.principal_values()
    return everyone and not caller_restrictions(statement)


def principal_accounts(statement: Statement) -> set[str]:
    """Account ids named by the statement's AWS principals (`123456789012`, `arn:aws:iam::123456789012:...`)."""
    accounts = set()
    for value in statement.principal_values("AWS"):
        if ACCOUNT.match(value):
            accounts.add(value)
        else:
            parts = value.split(":")
            if len(parts) > 4 and ACCOUNT.match(parts[4]):
                accounts.add(parts[4])
    return accounts


def web_identity_gaps(statement: Statement) -> list[str]:
    """Why a web-identity trust lets strangers in: OIDC without a specific `sub`, Cognito without `aud`."""
    if not statement.allow or not statement.grants(ASSUME_WEB_IDENTITY):
        return []
    gaps = []
    for provider in statement.principal_values("Federated"):
        host = provider.split("oidc-provider/", 1)[-1].lower()
        subject_key = "cognito-identity.amazonaws.com:aud" if host == "cognito-identity.amazonaws.com" \
            else f"{host}:sub"
        subjects = [c for c in statement.conditions if c.key == subject_key]
        if not subjects:
            gaps.append(f"{host} trust has no `{subject_key}` condition, so any identity of that provider "
                        f"(e.g. any repository) can assume the role")
            continue
        for condition in subjects:
            weak = [v for v in condition.values if not _subject_is_specific(host, v)]
            if condition.operator not in POSITIVE_OPERATORS or condition.if_exists or \
                    condition.qualifier == "forallvalues" or weak or not condition.values:
                gaps.append(f"{host} trust condition `{subject_key}` does not pin a specific subject "
                            f"({condition.operator}{'IfExists' if condition.if_exists else ''} {weak or condition.values})")
    return gaps


def _subject_is_specific(host: str, value: str) -> bool:
    if host == "token.actions.githubusercontent.com":
        match = re.match(r"repo:([^/:]+)/([^:]+)(:|$)", value)
        return bool(match) and not any(c in match.group(1) + match.group(2) for c in "*?")
    return bool(value) and not value.startswith(("*", "?")) and not _wild_only(value)


# --- effective permissions -----------------------------------------------------------------------------------

def unscoped_actions(statements: Iterable[Statement], *, within_account: bool = False,
                     include_unrestrictable: bool = True) -> frozenset[str]:
    """Actions allowed on every resource without a caller-restricting condition, minus unconditional denies.

    A Deny removes an action only when it applies to `*` and has no condition, so a conditional or narrow Deny
    never makes an Allow look smaller than it is.
    """
    statements = list(statements)
    allowed: set[str] = set()
    for s in statements:
        if not s.allow or caller_restrictions(s) or (not within_account and resource_owner_restrictions(s)):
            continue
        services = unbounded_services(s, within_account=within_account)
        if services is None:
            allowed |= s.actions
        elif services:
            allowed |= {a for a in s.actions if arn_namespaces(a) & services}
    for s in statements:
        everything = not s.not_resource and "*" in s.resources
        if not s.allow and not s.conditions and everything and (s.principals is None or "*" in s.principal_values()):
            allowed -= s.actions
    if not include_unrestrictable:
        allowed = {a for a in allowed if catalogue.takes_resource(a)}
    return frozenset(allowed)


def whole_services(actions: frozenset[str]) -> list[str]:
    """Services all of whose catalogued actions are in `actions` (`s3:*`, `*`, NotAction)."""
    by_service: dict[str, int] = {}
    for action in actions:
        service = action.split(":", 1)[0]
        by_service[service] = by_service.get(service, 0) + 1
    return sorted(s for s, n in by_service.items() if n >= len(catalogue.service_actions(s)) > 0)

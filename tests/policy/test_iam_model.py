"""Property-based tests of the IAM model (policy/rules/_iam.py) against policies whose effect is known by
construction: each generated statement is labelled (does its resource cover everything? does its condition pin
the caller?) and an independent oracle matches each action of a small universe the way IAM does (glob on the
action name, case-insensitive; NotAction inverts; an unconditional Deny on every resource wins)."""
from __future__ import annotations

import fnmatch
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules import _iam
from rules import _iam_catalogue as catalogue

SERVICES = ("sqs", "sns", "kinesis")
UNIVERSE = sorted(a for s in SERVICES for a in catalogue.service_actions(s))
ACCOUNT = "123456789012"

# (resource value, the services whose every resource it covers: "all", one service, or none)
RESOURCES = [("*", "all"), ("arn:aws:sqs:*:*:*", "sqs"), ("arn:aws:sns:*:*:*", "sns"),
             ("arn:aws:kinesis:*:*:stream/*", "kinesis"), ("arn:*:*:*:*:*", "all"),
             (f"arn:aws:sqs:us-east-1:{ACCOUNT}:orders", None), (f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts", None),
             (f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/clicks", None)]
# (condition block, pins the caller?)
CONDITIONS = [(None, False), ({"Bool": {"aws:SecureTransport": "true"}}, False),
              ({"StringEquals": {"aws:SourceAccount": ACCOUNT}}, True),
              ({"StringEqualsIfExists": {"aws:SourceAccount": ACCOUNT}}, False),
              ({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}, False),
              ({"ArnEquals": {"aws:SourceArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/r"}}, True),
              ({"StringLike": {"aws:PrincipalOrgID": "o-*"}}, False),
              ({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}, True),
              ({"ForAllValues:StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}}, False),
              ({"StringNotEquals": {"aws:SourceAccount": "210987654321"}}, False)]


def _case(text: str, flips: list[bool]) -> str:
    return "".join(c.upper() if flip else c.lower() for c, flip in zip(text, flips + [False] * len(text)))


@st.composite
def action_pattern(draw) -> str:
    action = draw(st.sampled_from(UNIVERSE))
    service, name = action.split(":")
    kind = draw(st.sampled_from(["exact", "service", "prefix", "all", "question"]))
    if kind == "service":
        pattern = f"{service}:*"
    elif kind == "prefix":
        pattern = f"{service}:{name[:draw(st.integers(1, max(1, len(name) - 1)))]}*"
    elif kind == "all":
        pattern = draw(st.sampled_from(["*", "s*:*"]))
    elif kind == "question":
        pattern = f"{service}:?{name[1:]}"
    else:
        pattern = action
    return _case(pattern, draw(st.lists(st.booleans(), max_size=len(pattern))))


@st.composite
def statement(draw) -> tuple[dict, bool, bool]:
    """(statement, services whose every resource it covers, pins the caller)"""
    effect = draw(st.sampled_from(["Allow", "Allow", "Deny"]))
    patterns = draw(st.lists(action_pattern(), min_size=1, max_size=3))
    key = draw(st.sampled_from(["Action", "NotAction"]))
    resource, covers = draw(st.sampled_from(RESOURCES))
    not_resource = draw(st.booleans()) and covers is None
    condition, pins = draw(st.sampled_from(CONDITIONS))
    body = {"Effect": effect, key: patterns if draw(st.booleans()) or len(patterns) > 1 else patterns[0],
            ("NotResource" if not_resource else "Resource"): resource}
    if condition:
        body["Condition"] = condition
    return body, "all" if not_resource else covers, pins


def _matches(body: dict, action: str) -> bool:
    key = "Action" if "Action" in body else "NotAction"
    patterns = body[key] if isinstance(body[key], list) else [body[key]]
    hit = any(fnmatch.fnmatchcase(action, p.lower()) for p in patterns)
    return hit if key == "Action" else not hit


def oracle(statements: list[tuple[dict, bool, bool]]) -> set[str]:
    allowed = {a for a in UNIVERSE for body, covers, pins in statements
               if body["Effect"] == "Allow" and covers in ("all", a.split(":")[0]) and not pins and _matches(body, a)}
    denied = {a for a in UNIVERSE for body, _everything, _pins in statements
              if body["Effect"] == "Deny" and "Condition" not in body and "NotResource" not in body
              and body["Resource"] == "*" and _matches(body, a)}
    return allowed - denied


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(statement(), min_size=1, max_size=5))
def test_unscoped_actions_equal_the_known_effective_permission(statements):
    document = json.dumps({"Version": "2012-10-17", "Statement": [s for s, _, _ in statements]})
    model = _iam.unscoped_actions(_iam.parse(document)) & set(UNIVERSE)
    assert model == oracle(statements)


@settings(max_examples=200, deadline=None)
@given(principal=st.sampled_from([("*", True), ({"AWS": "*"}, True), ({"AWS": ["*"]}, True),
                                  ({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, False),
                                  ({"Service": "sns.amazonaws.com"}, False)]),
       condition=st.sampled_from(CONDITIONS), split=st.booleans())
def test_is_public_exactly_when_everyone_is_allowed_without_a_pinning_condition(principal, condition, split):
    (value, everyone), (block, pins) = principal, condition
    body = {"Effect": "Allow", "Principal": value, "Action": "sqs:SendMessage", "Resource": "*"}
    if block:
        body["Condition"] = block
    statements = [body] + ([{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                             "Action": "sqs:SendMessage", "Resource": "*"}] if split else [])
    parsed = _iam.parse({"Statement": statements})
    assert any(_iam.is_public(s) for s in parsed) == (everyone and not pins)


def test_parse_reads_lower_case_keys_single_statements_and_ignores_garbage():
    lower, = _iam.parse('{"Statement": {"effect": "allow", "action": "SQS:sendmessage", "resource": "*"}}')
    assert lower.allow and lower.actions == {"sqs:sendmessage"} and lower.resources == ("*",)
    single = _iam.parse({"Statement": {"Effect": "Allow", "Action": "SQS:SendMessage", "Resource": "*"}})
    assert single[0].actions == {"sqs:sendmessage"}
    assert _iam.parse("not json") == () and _iam.parse(None) == () and _iam.parse(42) == ()


def test_unknown_concrete_action_is_kept_so_new_actions_still_count():
    statement, = _iam.parse({"Statement": [{"Effect": "Allow", "Action": "sqs:BrandNewAction", "Resource": "*"}]})
    assert statement.actions == {"sqs:brandnewaction"}


def test_actions_on_another_services_arns_count_as_unscoped():
    """sts:AssumeRole takes `iam` role ARNs and ssm:SendCommand `ec2` instance ARNs; a queue action does not."""
    def unscoped(action: str, resource: str) -> bool:
        document = {"Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}
        return action.lower() in _iam.unscoped_actions(_iam.parse(document))

    assert unscoped("sts:AssumeRole", "arn:aws:iam::*:role/*")
    assert unscoped("ssm:SendCommand", "arn:aws:ec2:*:*:instance/*")
    assert not unscoped("sqs:SendMessage", "arn:aws:iam::*:role/*")
    assert not unscoped("sts:AssumeRole", f"arn:aws:iam::{ACCOUNT}:role/deploy")


def test_a_bucket_name_wildcard_is_unbounded_but_an_object_key_wildcard_is_not():
    assert _iam.resource_unbounded("arn:aws:s3:::corpus*/*")
    assert _iam.resource_unbounded("arn:aws:s3:::corpus-?ata")
    assert not _iam.resource_unbounded("arn:aws:s3:::corpus-data/*")
    assert not _iam.resource_unbounded("arn:aws:s3:::corpus-data/runs/*")


def test_a_resource_account_pin_scopes_like_an_account_in_the_arn():
    def unscoped(condition: dict, *, within_account: bool = False) -> bool:
        document = {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                                   "Condition": condition}]}
        return "s3:getobject" in _iam.unscoped_actions(_iam.parse(document), within_account=within_account)

    assert not unscoped({"StringEquals": {"aws:ResourceAccount": ACCOUNT}})
    assert not unscoped({"StringEquals": {"aws:ResourceOrgID": "o-a1b2c3d4e5"}})
    assert unscoped({"StringEquals": {"aws:ResourceAccount": ACCOUNT}}, within_account=True)
    assert unscoped({"StringLike": {"aws:ResourceAccount": "*"}})
    assert unscoped({"StringEqualsIfExists": {"aws:ResourceAccount": ACCOUNT}})
    assert unscoped({"StringNotEquals": {"aws:ResourceAccount": "210987654321"}})
    # not a caller pin: a resource policy open to everyone stays public under it
    pinned = {"StringEquals": {"aws:ResourceAccount": ACCOUNT}}
    public, = _iam.parse({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage",
                                         "Resource": "*", "Condition": pinned}]})
    assert _iam.is_public(public)

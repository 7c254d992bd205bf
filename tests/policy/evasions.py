"""Policy statements that look restricted but are not (evasions), and ones that really are, shared by the tests
of every rule that reads a policy document. Each entry is one realistic way a reviewer's eye is fooled."""
from __future__ import annotations

from typing import Any

ACCOUNT = "123456789012"
STRANGER = "210987654321"
ORG = "o-a1b2c3d4e5"


def public(action: str, resource: str = "*", **extra: Any) -> dict[str, Any]:
    return {"Sid": "Open", "Effect": "Allow", "Principal": "*", "Action": action, "Resource": resource, **extra}


def public_statements(action: str, resource: str = "*") -> dict[str, dict[str, Any]]:
    """Allow-to-everyone statements, blatant first, then the forms that slipped past literal matching."""
    cond = lambda c: public(action, resource, Condition=c)  # noqa: E731
    return {
        "blatant-star-principal": public(action, resource),
        "aws-star-principal": {**public(action, resource), "Principal": {"AWS": ["*"]}},
        "tls-only-condition": cond({"Bool": {"aws:SecureTransport": "true"}}),
        "wildcard-source-arn": cond({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}),
        "wildcard-account-principal-arn": cond({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/deploy"}}),
        "if-exists-source-account": cond({"StringEqualsIfExists": {"aws:SourceAccount": ACCOUNT}}),
        "negated-source-account": cond({"StringNotEquals": {"aws:SourceAccount": STRANGER}}),
        "for-all-values-org": cond({"ForAllValues:StringEquals": {"aws:PrincipalOrgID": [ORG]}}),
        "wildcard-org-id": cond({"StringLike": {"aws:PrincipalOrgID": "o-*"}}),
        "null-check-only": cond({"Null": {"aws:SourceAccount": "false"}}),
        "not-principal": {"Sid": "Open", "Effect": "Allow", "NotPrincipal": {"AWS": f"arn:aws:iam::{STRANGER}:root"},
                          "Action": action, "Resource": resource},
        "lower-case-keys": {"sid": "Open", "effect": "Allow", "principal": "*", "action": action, "resource": resource},
    }


def restricted_statements(action: str, resource: str = "*") -> dict[str, dict[str, Any]]:
    """Statements to `*` that are NOT public: a condition pins the caller concretely."""
    cond = lambda c: public(action, resource, Condition=c)  # noqa: E731
    return {
        "source-account": cond({"StringEquals": {"aws:SourceAccount": ACCOUNT}}),
        "source-arn": cond({"ArnEquals": {"aws:SourceArn": f"arn:aws:events:us-east-1:{ACCOUNT}:rule/r"}}),
        "org-id": cond({"StringEquals": {"aws:PrincipalOrgID": ORG}}),
        "for-any-value-org": cond({"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": [ORG]}}),
        "caller-account-with-tls": cond({"StringEquals": {"kms:CallerAccount": ACCOUNT},
                                         "Bool": {"aws:SecureTransport": "true"}}),
    }

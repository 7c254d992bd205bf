"""Where identity-based policy documents live in pulumi-aws v7 (shared by the IAM rules; not a rule)."""
from typing import Any

DOCUMENT_TYPES = ("aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy",
                  "aws:iam/groupPolicy:GroupPolicy", "aws:iam/role:Role")


def identity_documents(props: Any) -> list[Any]:
    """The policy documents of an IAM resource: `policy`, or a Role's `inlinePolicies[].policy`."""
    documents = [props.get("policy")] if props.get("policy") else []
    documents += [p.get("policy") for p in props.get("inlinePolicies") or [] if p.get("policy")]
    return documents


def matches(pattern_list: list[str], action: str) -> bool:
    """True if an Action entry grants `action` (exact, `*`, or `service:*`)."""
    service = action.split(":")[0]
    return any(p == "*" or p.lower() == action.lower() or p.lower() == f"{service}:*" for p in pattern_list)

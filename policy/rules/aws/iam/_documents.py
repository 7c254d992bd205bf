"""Where policy documents live in pulumi-aws v7 (shared by the rules that read them; not a rule).

Identity documents belong to IAM resources; resource policies to the resource they guard. Every reader parses
them with `rules._iam`, never by matching strings.
"""
from __future__ import annotations

from typing import Any

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, UnknownValueError

from rules import _iam
from rules._framework import StackView, known

DOCUMENT_TYPES = ("aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/userPolicy:UserPolicy",
                  "aws:iam/groupPolicy:GroupPolicy", "aws:iam/role:Role")
ROLE, ROLE_POLICY = "aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy"
MANAGED_POLICY, ATTACHMENT = "aws:iam/policy:Policy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
# Resource types whose `policy` input is a resource policy (who else may act on the resource).
RESOURCE_POLICY_TYPES = (
    "aws:s3/bucket:Bucket", "aws:s3/bucketPolicy:BucketPolicy", "aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy",
    "aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy", "aws:sqs/queue:Queue", "aws:sqs/queuePolicy:QueuePolicy",
    "aws:cloudwatch/eventBusPolicy:EventBusPolicy", "aws:secretsmanager/secret:Secret",
    "aws:secretsmanager/secretPolicy:SecretPolicy", "aws:lambda/permission:Permission")


def resource_policy_document(resource_type: str, props: Any) -> Any:
    """The resource policy a resource of RESOURCE_POLICY_TYPES writes: its `policy`, or for an
    aws.lambda.Permission the one statement Lambda adds to the function's policy."""
    if resource_type == "aws:lambda/permission:Permission":
        return {"Statement": [permission_statement(props)]}
    return props.get("policy")


def identity_documents(props: Any) -> list[Any]:
    """The policy documents of an IAM resource: `policy`, or a Role's `inlinePolicies[].policy`."""
    documents = [props.get("policy")] if props.get("policy") else []
    documents += [p.get("policy") for p in props.get("inlinePolicies") or [] if p.get("policy")]
    return documents


# Resources that attach managed policies to roles: type -> (property naming the role(s), property naming the
# policy ARN(s)).
ATTACHMENTS = {
    ATTACHMENT: ("role", "policyArn"),
    "aws:iam/policyAttachment:PolicyAttachment": ("roles", "policyArn"),
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": ("roleName", "policyArns")}


def _known_strings(props: Any, key: str) -> set[str]:
    """The known string values of a property that holds one string or a list of them."""
    value = known(props, key)
    try:
        values = [value] if isinstance(value, str) or value is None else list(value)  # lists arrive as proxies
        return {v for v in values if isinstance(v, str) and v}
    except UnknownValueError:
        return set()


def role_documents(view: StackView, role: PolicyResource) -> list[Any]:
    """Every document of the stack that grants to one role: inline, RolePolicy, attached customer policies
    (RolePolicyAttachment, PolicyAttachment, RolePolicyAttachmentsExclusive)."""
    documents = identity_documents(role.props)
    names = {known(role.props, k) for k in ("name", "id", "arn")} - {None, ""}

    def for_role(resource: PolicyResource, key: str) -> bool:
        deps = resource.property_dependencies.get(key, [])
        return any(d.urn == role.urn for d in deps) or bool(_known_strings(resource.props, key) & names)

    documents += [p.props.get("policy") for p in view.of_type(ROLE_POLICY) if for_role(p, "role")]
    attached = set(known(role.props, "managedPolicyArns") or [])
    attached_urns = set()
    for kind, (role_key, arn_key) in ATTACHMENTS.items():
        for attachment in view.of_type(kind):
            if for_role(attachment, role_key):
                attached |= _known_strings(attachment.props, arn_key)
                attached_urns |= {d.urn for d in attachment.property_dependencies.get(arn_key, [])}
    for policy in view.of_type(MANAGED_POLICY):
        if policy.urn in attached_urns or known(policy.props, "arn") in attached:
            documents.append(policy.props.get("policy"))
    return [d for d in documents if d]


# The setting both cross-account rules take: accounts of yours that the stack's ARNs do not name.
TRUSTED_ACCOUNTS_SETTING = {"trustedAccounts": {"type": "array", "items": {"type": "string", "pattern": "^[0-9]{12}$"},
                                                "default": []}}


def own_accounts(view: StackView) -> set[str]:
    """The stack's own accounts: those named in the ARNs of its resources."""
    accounts = set()
    for resource in view.resources:
        arn = known(resource.props, "arn")
        parts = arn.split(":") if isinstance(arn, str) else []
        if len(parts) > 4 and _iam.ACCOUNT.match(parts[4]):
            accounts.add(parts[4])
    return accounts


def trusted_accounts(view: StackView, config: Any) -> set[str]:
    """The stack's own accounts plus setting `trustedAccounts`; unknown while nothing is created yet (a first
    preview), when every account would look like a stranger."""
    own = own_accounts(view)
    if not own:
        raise UnknownValueError(UNKNOWN_STRING_VALUE, ["arn"])
    return own | set(config["trustedAccounts"])


def permission_statement(props: Any) -> dict[str, Any]:
    """An aws.lambda.Permission as the resource-policy statement Lambda writes for it, so the IAM model judges
    its principal and its source conditions like any other statement."""
    conditions: dict[str, dict[str, str]] = {}
    if props.get("sourceArn"):
        conditions.setdefault("ArnLike", {})["aws:SourceArn"] = props.get("sourceArn")
    if props.get("sourceAccount"):
        conditions.setdefault("StringEquals", {})["aws:SourceAccount"] = props.get("sourceAccount")
    if props.get("principalOrgId"):
        conditions.setdefault("StringEquals", {})["aws:PrincipalOrgID"] = props.get("principalOrgId")
    principal = props.get("principal") or ""
    kind = "Service" if principal.endswith(".amazonaws.com") else "AWS"
    statement = {"Sid": props.get("statementId") or "", "Effect": "Allow", "Principal": {kind: principal},
                 "Action": props.get("action") or "lambda:InvokeFunction", "Resource": "*"}
    return {**statement, "Condition": conditions} if conditions else statement


def matches(pattern_list: list[str], action: str) -> bool:
    """Deprecated: True if an Action entry grants `action`, with IAM's wildcard semantics (catalogue-backed)."""
    from rules import _iam_catalogue

    return any(action.lower() in _iam_catalogue.expand(p) for p in pattern_list)

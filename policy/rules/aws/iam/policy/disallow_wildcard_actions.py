"""IAM policies grant no `*` or `service:*` actions on every resource."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, policy_statements, resource_policy
from rules.aws.iam._documents import DOCUMENT_TYPES, identity_documents

META = RuleMeta(
    id="IAM-001", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="IAM identity policies (managed, inline and a role's inline_policies) have no Allow statement "
                "with action `*` or `<service>:*` on resource `*`, which would be administrator or full "
                "service access.",
    remediation="List the actions the code calls and the stack's own resource ARNs (components.iam.allow); "
                "keep Resource `*` only for actions without resource-level permissions such as X-Ray.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP02",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege")


def check(props, _config):
    for document in identity_documents(props):
        for statement in policy_statements(document):
            if statement.get("Effect") != "Allow" or "*" not in (statement.get("Resource") or []):
                continue
            wildcards = [a for a in statement.get("Action") or [] if a == "*" or a.endswith(":*")]
            if wildcards:
                yield f"statement {statement.get('Sid', '(no Sid)')!r} allows {wildcards} on resource '*'."


POLICY = resource_policy(__name__, META, DOCUMENT_TYPES, check)

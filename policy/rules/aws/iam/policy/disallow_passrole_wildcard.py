"""IAM policies do not allow iam:PassRole on every role."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, policy_statements, resource_policy
from rules.aws.iam._documents import DOCUMENT_TYPES, identity_documents, matches

META = RuleMeta(
    id="IAM-002", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="IAM identity policies do not allow `iam:PassRole` on resource `*`. Passing any role to a "
                "service is a privilege-escalation path to the most powerful role in the account.",
    remediation="Scope iam:PassRole to the ARNs of the stack's own service roles and add an "
                "`iam:PassedToService` condition.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP02",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html")


def check(props, _config):
    for document in identity_documents(props):
        for statement in policy_statements(document):
            if statement.get("Effect") == "Allow" and "*" in (statement.get("Resource") or []) \
                    and matches(statement.get("Action") or [], "iam:PassRole"):
                yield f"statement {statement.get('Sid', '(no Sid)')!r} allows iam:PassRole on resource '*'."


POLICY = resource_policy(__name__, META, DOCUMENT_TYPES, check)

"""IAM policies do not allow iam:PassRole on every role."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules._framework import Pillar, RuleMeta, resource_policy
from rules.aws.iam._documents import DOCUMENT_TYPES, identity_documents

META = RuleMeta(
    id="IAM-002", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="IAM identity policies do not allow `iam:PassRole` on every role (`*`, `arn:aws:iam::*:role/*`, "
                "or every role of one account), whether it is named, matched by a wildcard such as `iam:Pass*` "
                "or `*`, or left over by NotAction. Passing any role to a service is a privilege-escalation "
                "path to the most powerful role in the account.",
    remediation="Scope iam:PassRole to the ARNs of the stack's own service roles and add an "
                "`iam:PassedToService` condition.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP02",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html")


def check(props, _config):
    statements = _iam.parse_all(identity_documents(props))
    if "iam:passrole" in _iam.unscoped_actions(statements, within_account=True):
        granting = [s.label for s in statements if s.allow and s.grants("iam:PassRole")
                    and _iam.unbounded(s, within_account=True)]
        yield f"statement(s) {', '.join(granting)} allow iam:PassRole on every role."


POLICY = resource_policy(__name__, META, DOCUMENT_TYPES, check)

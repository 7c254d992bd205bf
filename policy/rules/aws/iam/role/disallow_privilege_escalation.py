"""No role can escalate its own privileges, counting every document that grants to it."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules import _iam_catalogue as catalogue
from rules._framework import Pillar, RuleMeta, resource_stack_policy
from rules.aws.iam._documents import ROLE, role_documents

META = RuleMeta(
    id="IAM-007", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="IAM roles are not granted, across all their documents together (inline policies, RolePolicy "
                "resources and customer-managed policies attached by RolePolicyAttachment, PolicyAttachment or "
                "RolePolicyAttachmentsExclusive), a set of actions on every resource of the "
                "account that lets them escalate privileges (cloudsplaining's catalogue of Rhino Security Labs "
                "and pathfinding.cloud methods, e.g. iam:PutRolePolicy, iam:AttachRolePolicy, "
                "iam:CreatePolicyVersion, lambda:UpdateFunctionCode). Splitting the actions over several "
                "statements or documents does not hide them.",
    remediation="Remove IAM write actions from workload roles, or scope them to named resources that are not "
                "the role itself and add a permissions boundary.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP02",
    url="https://cloudsplaining.readthedocs.io/en/latest/glossary/privilege-escalation/")


def check(role, view, _config):
    statements = _iam.parse_all(role_documents(view, role))
    unscoped = _iam.unscoped_actions(statements, within_account=True)
    # Whole services on every resource are the wildcard-actions rule's finding; escalation is reported for
    # what a reviewer could miss: named actions, possibly spread over several documents.
    whole = set(_iam.whole_services(unscoped))
    methods = sorted(name for name, actions in catalogue.privilege_escalation_methods().items()
                     if actions <= unscoped and not {a.split(":")[0] for a in actions} <= whole)
    if methods:
        yield f"role {role.name} can escalate its privileges ({', '.join(methods[:4])})."


POLICY = resource_stack_policy(__name__, META, [ROLE], check)

"""Roles that another account may assume require an external id (or pin the caller's organisation)."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules._framework import Pillar, RuleMeta, resource_stack_policy
from rules.aws.iam._documents import ROLE, TRUSTED_ACCOUNTS_SETTING, trusted_accounts

ORGANISATION_KEYS = ("aws:PrincipalOrgID", "aws:PrincipalOrgPaths")
META = RuleMeta(
    id="IAM-012", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="IAM role trust policies that let principals of an account that is not one of the stack's own "
                "(accounts in the stack's ARNs, plus setting `trustedAccounts`) call sts:AssumeRole require a "
                "concrete `sts:ExternalId` (positive operator, not IfExists, no bare wildcard) or pin the caller's "
                "organisation (aws:PrincipalOrgID). Without it a vendor trusted by many customers can be tricked "
                "into acting on this account for another customer (the confused deputy).",
    remediation="Add Condition {'StringEquals': {'sts:ExternalId': '<id the partner gave you>'}} to the trust "
                "statement, or list the account in `trustedAccounts` if it is one of yours.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP08",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html",
    settings=TRUSTED_ACCOUNTS_SETTING)


def _requires_external_id(statement: _iam.Statement) -> bool:
    return any(c.key == "sts:externalid" and c.operator in ("stringequals", "stringlike") and not c.if_exists
               and c.qualifier != "forallvalues" and c.values and not any(set(v) <= {"*", "?"} for v in c.values)
               for c in statement.conditions)


def check(resource, view, config):
    trusted = trusted_accounts(view, config)
    for statement in _iam.parse(resource.props.get("assumeRolePolicy")):
        strangers = sorted(_iam.principal_accounts(statement) - trusted)
        if not statement.allow or not strangers or not statement.grants("sts:AssumeRole"):
            continue
        if not _requires_external_id(statement) and not _iam.caller_restrictions(statement, ORGANISATION_KEYS):
            yield (f"trust statement {statement.label} lets account(s) {strangers} assume the role without an "
                   f"sts:ExternalId condition.")


POLICY = resource_stack_policy(__name__, META, [ROLE], check)

"""IAM roles cannot be assumed by everyone."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _iam
from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="IAM-003", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="IAM role trust policies do not let everyone (principal `*`, AWS `*`, or NotPrincipal) assume "
                "the role unless a condition pins the caller to specific accounts, an organisation or a source: "
                "the condition's values are read, so `arn:aws:iam::*:role/x`, `o-*`, IfExists and ForAllValues "
                "forms, negated operators and keys such as aws:SecureTransport do not count.",
    remediation="Name the service principal or account that assumes the role in `assume_role_policy` "
                "(components.iam.service_trust_policy), or add StringEquals aws:PrincipalOrgID / "
                "aws:PrincipalAccount with a concrete value.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html")


def check(props, _config):
    for statement in _iam.parse(props.get("assumeRolePolicy")):
        if _iam.is_public(statement) and any(a.startswith("sts:assumerole") for a in statement.actions):
            yield f"trust statement {statement.label} lets anyone assume the role."


POLICY = resource_policy(__name__, META, ["aws:iam/role:Role"], check)

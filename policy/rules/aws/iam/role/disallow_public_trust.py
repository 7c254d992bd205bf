"""IAM roles cannot be assumed by everyone."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, public_statements, resource_policy

META = RuleMeta(
    id="IAM-003", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="IAM role trust policies do not allow principal `*` (or AWS `*`) to assume the role without a "
                "condition pinning the caller to our account or organisation.",
    remediation="Name the service principal or account that assumes the role in `assume_role_policy` "
                "(components.iam.service_trust_policy).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html")


def check(props, _config):
    for statement in public_statements(props.get("assumeRolePolicy")):
        yield f"trust statement {statement.get('Sid', '(no Sid)')!r} lets principal '*' assume the role."


POLICY = resource_policy(__name__, META, ["aws:iam/role:Role"], check)

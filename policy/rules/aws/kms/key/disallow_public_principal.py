"""KMS key policies grant nothing to everyone."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, public_statements, resource_policy

META = RuleMeta(
    id="KMS-004", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="KMS key policies have no Allow statement for principal `*` unless a condition pins it to the "
                "account, organisation or calling service.",
    remediation="Name the account root or specific roles as principals, or add an aws:SourceAccount, "
                "aws:PrincipalOrgID or kms:CallerAccount condition.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html")


def check(props: Any, _config: Mapping[str, Any]) -> Iterable[str]:
    for statement in public_statements(props.get("policy")):
        yield f"key policy statement {statement.get('Sid', '(no Sid)')!r} allows principal '*' unconditionally."


POLICY = resource_policy(__name__, META, ["aws:kms/key:Key"], check)

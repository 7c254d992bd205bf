"""EventBridge bus policies let no one outside the account or organisation put events."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, check_policy_not_public, resource_policy

META = RuleMeta(
    id="EVENTS-002", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="EventBridge event bus policies have no Allow statement for everyone without a condition "
                "pinning the caller (aws:PrincipalOrgID or aws:PrincipalAccount with concrete values), so no "
                "stranger can inject events; " "condition values are read: wildcard ARNs or accounts, IfExists and ForAllValues forms, negated operators "
                "and keys such as aws:SecureTransport restrict nothing.",
    remediation="Name the sending accounts as principals or add a StringEquals aws:PrincipalOrgID condition.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-perms.html")

POLICY = resource_policy(__name__, META, ["aws:cloudwatch/eventBusPolicy:EventBusPolicy"],
                         check_policy_not_public)

"""SES configuration sets deliver mail only over TLS."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, value_policy

POLICY = value_policy(__name__, RuleMeta(
    id="SES-001", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="SES v2 configuration sets require TLS for delivery (`deliveryOptions.tlsPolicy` REQUIRE), so "
                "messages with personal data are never sent in clear text to a receiving server.",
    remediation="Set delivery_options={'tls_policy': 'REQUIRE'} on the aws.sesv2.ConfigurationSet.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC09-BP02",
    url="https://docs.aws.amazon.com/ses/latest/dg/security-protocols.html"),
    "aws:sesv2/configurationSet:ConfigurationSet", "deliveryOptions.tlsPolicy", ["REQUIRE"],
    absent_is_violation=True)

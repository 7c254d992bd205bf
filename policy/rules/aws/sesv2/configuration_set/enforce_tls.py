"""SES configuration sets use TLS for delivery and for open and click tracking."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="SES-001", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="SES v2 configuration sets require TLS wherever the message travels: delivery to the receiving "
                "server (`deliveryOptions.tlsPolicy` REQUIRE) and, with a custom tracking domain, the open and "
                "click tracking links (`trackingOptions.httpsPolicy` REQUIRE; OPTIONAL or absent sends recipients "
                "through plain HTTP, and REQUIRE_OPEN_ONLY leaves clicks on HTTP).",
    remediation="Set delivery_options={'tls_policy': 'REQUIRE'} and, with tracking_options, https_policy='REQUIRE' "
                "(the custom redirect domain needs a certificate).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC09-BP02",
    url="https://docs.aws.amazon.com/ses/latest/dg/configure-custom-open-click-domains.html")


def check(props, _config):
    tls = get_path(props, "deliveryOptions.tlsPolicy")
    if tls != "REQUIRE":
        yield f"`deliveryOptions.tlsPolicy` is {tls!r}; expected 'REQUIRE'."
    tracking = props.get("trackingOptions")
    if tracking and tracking.get("httpsPolicy") != "REQUIRE":
        yield f"`trackingOptions.httpsPolicy` is {tracking.get('httpsPolicy')!r}; tracking links must require HTTPS."


POLICY = resource_policy(__name__, META, ["aws:sesv2/configurationSet:ConfigurationSet"], check)

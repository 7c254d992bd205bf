"""CloudFront reaches custom origins over HTTPS with current TLS."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

OLD_PROTOCOLS = {"SSLv3", "TLSv1", "TLSv1.1"}
META = RuleMeta(
    id="CLOUDFRONT-009", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="CloudFront custom origins (API Gateway, load balancers, Lambda URLs, websites) use "
                "`originProtocolPolicy` https-only and offer no SSLv3, TLSv1 or TLSv1.1 in "
                "`originSslProtocols`. HTTPS to the viewer means little if the hop to the origin is plain HTTP "
                "(`http-only`) or follows the viewer's protocol (`match-viewer`).",
    remediation="Set custom_origin_config={'origin_protocol_policy': 'https-only', 'origin_ssl_protocols': "
                "['TLSv1.2'], 'http_port': 80, 'https_port': 443}.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC09-BP02",
    url="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-cloudfront-to-custom-origin.html")


def check(props, _config):
    for origin in props.get("origins") or []:
        custom = origin.get("customOriginConfig")
        if not custom:
            continue
        where = origin.get("originId")
        if custom.get("originProtocolPolicy") != "https-only":
            yield f"origin {where!r} uses originProtocolPolicy {custom.get('originProtocolPolicy')!r}; expected 'https-only'."
        old = sorted(OLD_PROTOCOLS & set(get_path(custom, "originSslProtocols") or []))
        if old:
            yield f"origin {where!r} still offers {old}."


POLICY = resource_policy(__name__, META, ["aws:cloudfront/distribution:Distribution"], check)

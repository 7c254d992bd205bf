"""CloudFront serves viewers over HTTPS only."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

SECURE = ("redirect-to-https", "https-only")
META = RuleMeta(
    id="CLOUDFRONT-001", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="CloudFront distributions use viewer protocol policy redirect-to-https or https-only on the "
                "default and every ordered cache behavior.",
    remediation="Set viewer_protocol_policy='redirect-to-https' on every cache behavior.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC09-BP02",
    url="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/using-https-viewers-to-cloudfront.html")


def check(props, _config):
    behaviors = [("default", props.get("defaultCacheBehavior") or {})]
    behaviors += [(b.get("pathPattern"), b) for b in props.get("orderedCacheBehaviors") or []]
    for where, behavior in behaviors:
        if behavior.get("viewerProtocolPolicy") not in SECURE:
            yield f"cache behavior {where!r} allows viewer protocol {behavior.get('viewerProtocolPolicy')!r}."


POLICY = resource_policy(__name__, META, ["aws:cloudfront/distribution:Distribution"], check)

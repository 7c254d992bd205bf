"""CloudFront cache behaviors add security response headers."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="CLOUDFRONT-005", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="CloudFront default and ordered cache behaviors set a response headers policy, which adds "
                "HSTS, X-Content-Type-Options, frame options and a content security policy to every response.",
    remediation="Set response_headers_policy_id to the managed SecurityHeadersPolicy "
                "(67f7725c-6f97-4210-82d7-5512b31e9d03) or an aws.cloudfront.ResponseHeadersPolicy of the stack.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC09-BP02",
    url="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/adding-response-headers.html")


def check(props, _config):
    behaviors = [("default", props.get("defaultCacheBehavior") or {})]
    behaviors += [(b.get("pathPattern"), b) for b in props.get("orderedCacheBehaviors") or []]
    for where, behavior in behaviors:
        if not behavior.get("responseHeadersPolicyId"):
            yield f"cache behavior {where!r} has no `responseHeadersPolicyId`."


POLICY = resource_policy(__name__, META, ["aws:cloudfront/distribution:Distribution"], check)

"""CloudFront cache behaviors use cache policies, not legacy forwarded values."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="CLOUDFRONT-008", pillar=Pillar.PERFORMANCE_EFFICIENCY, severity=Severity.LOW,
    description="CloudFront cache behaviors set a `cachePolicyId` instead of legacy `forwardedValues`. Cache "
                "policies keep the cache key minimal (higher hit ratio) and separate it from what is forwarded "
                "to the origin.",
    remediation="Use a managed cache policy (CachingOptimized, or CachingDisabled for APIs) with an origin "
                "request policy, and remove forwarded_values.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="PERF04-BP03",
    url="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/controlling-the-cache-key.html")


def check(props, _config):
    behaviors = [("default", props.get("defaultCacheBehavior") or {})]
    behaviors += [(b.get("pathPattern"), b) for b in props.get("orderedCacheBehaviors") or []]
    for where, behavior in behaviors:
        if not behavior.get("cachePolicyId"):
            yield f"cache behavior {where!r} has no `cachePolicyId`."


POLICY = resource_policy(__name__, META, ["aws:cloudfront/distribution:Distribution"], check)

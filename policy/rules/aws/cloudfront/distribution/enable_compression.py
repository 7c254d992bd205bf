"""CloudFront compresses responses."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="CLOUDFRONT-007", pillar=Pillar.PERFORMANCE_EFFICIENCY, severity=Severity.LOW,
    description="CloudFront cache behaviors compress responses (`compress` true), which makes text responses "
                "several times smaller and faster to deliver.",
    remediation="Set compress=True on the default and ordered cache behaviors (the cache policy must enable "
                "gzip and brotli).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="PERF04-BP03",
    url="https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/ServingCompressedFiles.html")


def check(props, _config):
    behaviors = [("default", props.get("defaultCacheBehavior") or {})]
    behaviors += [(b.get("pathPattern"), b) for b in props.get("orderedCacheBehaviors") or []]
    for where, behavior in behaviors:
        if behavior.get("compress") is not True:
            yield f"cache behavior {where!r} does not compress responses."


POLICY = resource_policy(__name__, META, ["aws:cloudfront/distribution:Distribution"], check)

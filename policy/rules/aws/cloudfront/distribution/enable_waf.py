"""CloudFront distributions are protected by an AWS WAF web ACL."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="CLOUDFRONT-004", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="CloudFront distributions are associated with a WAFv2 web ACL (`webAclId`), the place for rate "
                "limits and managed rule groups in front of the origin.",
    remediation="Create an aws.wafv2.WebAcl with scope CLOUDFRONT (in us-east-1) and set web_acl_id to its ARN.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC05-BP02",
    url="https://docs.aws.amazon.com/waf/latest/developerguide/cloudfront-features.html")


def check(props, _config):
    if not props.get("webAclId"):
        yield "`webAclId` is not set; the distribution has no WAF."


POLICY = resource_policy(__name__, META, ["aws:cloudfront/distribution:Distribution"], check)

"""AWS WAF web ACLs log the requests they inspect."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, StackView, resource_stack_policy

WEB_ACL = "aws:wafv2/webAcl:WebAcl"
LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
META = RuleMeta(
    id="WAF-003", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="AWS WAF web ACLs have a logging configuration (CloudWatch Logs `aws-waf-logs-*`, S3 or Firehose), "
                "so blocked and rate-limited requests, and the rule that matched, can be investigated. Metrics "
                "alone say how many were blocked, not which client or request.",
    remediation="Add an `aws.wafv2.WebAclLoggingConfiguration` with resource_arn=web_acl.arn, a log group named "
                "`aws-waf-logs-...` and redacted_fields for anything carrying tokens (query string, "
                "`authorization`).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC04-BP01",
    url="https://docs.aws.amazon.com/waf/latest/developerguide/logging.html")


def check(acl, view: StackView, _config: Mapping[str, Any]) -> Iterable[str]:
    if not view.attached(acl, LOGGING, "resourceArn"):
        yield f"web ACL {acl.name} has no logging configuration."


POLICY = resource_stack_policy(__name__, META, [WEB_ACL], check)

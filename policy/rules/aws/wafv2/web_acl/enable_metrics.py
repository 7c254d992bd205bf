"""WAF web ACLs and their rules publish metrics and sampled requests."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="WAF-002", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.LOW,
    description="WAFv2 web ACLs and each of their rules enable CloudWatch metrics and sampled requests in "
                "`visibilityConfig`, so blocked traffic can be seen and false positives diagnosed.",
    remediation="Set visibility_config={'cloudwatch_metrics_enabled': True, 'sampled_requests_enabled': True, "
                "'metric_name': ...} on the web ACL and on every rule.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="OPS08-BP01",
    url="https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-testing-activities.html")


def check(props, _config):
    configs = [("web ACL", props.get("visibilityConfig") or {})]
    configs += [(f"rule {r.get('name')!r}", r.get("visibilityConfig") or {}) for r in props.get("rules") or []]
    for where, visibility in configs:
        off = [k for k in ("cloudwatchMetricsEnabled", "sampledRequestsEnabled") if visibility.get(k) is not True]
        if off:
            yield f"{where} has {', '.join(off)} off."


POLICY = resource_policy(__name__, META, ["aws:wafv2/webAcl:WebAcl"], check)

"""WAF web ACLs limit the request rate per client."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="WAF-001", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="WAFv2 web ACLs contain at least one rate-based rule that blocks (or challenges) a client that "
                "exceeds a request rate, the basic protection against floods and credential stuffing.",
    remediation="Add a rule with statement.rate_based_statement (limit, aggregate_key_type IP) and action block.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC05-BP02",
    url="https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html")


def check(props, _config):
    rules = props.get("rules") or []
    if not any(get_path(rule, "statement.rateBasedStatement.limit") for rule in rules):
        yield "the web ACL has no rate-based rule."


POLICY = resource_policy(__name__, META, ["aws:wafv2/webAcl:WebAcl"], check)

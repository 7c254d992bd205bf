"""WAF web ACLs limit the request rate per client, and act on it."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

ENFORCING = ("block", "challenge", "captcha")
META = RuleMeta(
    id="WAF-001", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="WAFv2 web ACLs contain at least one rate-based rule that blocks, challenges or shows a CAPTCHA "
                "to a client that exceeds a request rate, the basic protection against floods and credential "
                "stuffing. A rate-based rule whose action is `count` only measures, and a limit above setting "
                "`maximumLimit` (requests per evaluation window) protects nothing in practice.",
    remediation="Add a rule with statement.rate_based_statement (limit, aggregate_key_type IP) and action "
                "{'block': {}}; use count only while tuning, in a dev stack.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC05-BP02",
    url="https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html",
    settings={"maximumLimit": {"type": "integer", "minimum": 10, "default": 2000}})


def check(props, config):
    rate_rules = [r for r in props.get("rules") or [] if get_path(r, "statement.rateBasedStatement.limit")]
    if not rate_rules:
        yield "the web ACL has no rate-based rule."
        return
    enforcing = [r for r in rate_rules if any((r.get("action") or {}).get(a) is not None for a in ENFORCING)]
    if not enforcing:
        yield (f"rate-based rule(s) {[r.get('name') for r in rate_rules]} only count; none blocks, challenges or "
               f"shows a CAPTCHA.")
    elif all(get_path(r, "statement.rateBasedStatement.limit") > config["maximumLimit"] for r in enforcing):
        yield f"every enforcing rate-based rule allows more than {config['maximumLimit']} requests per window."


POLICY = resource_policy(__name__, META, ["aws:wafv2/webAcl:WebAcl"], check)

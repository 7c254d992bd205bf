"""Personalize campaigns provision no more throughput than the stack allows (it is billed per hour)."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="PERSONALIZE-003", pillar=Pillar.COST_OPTIMIZATION, severity=Severity.MEDIUM,
    description="Amazon Personalize campaigns keep `minProvisionedTps` at or below `maximumTps` (default 5): "
                "provisioned transactions per second are billed every hour whether used or not, and the campaign "
                "scales above the minimum on its own.",
    remediation="Lower min_provisioned_tps (1 is the minimum and usually enough: the campaign auto-scales), or "
                "raise this rule's `maximumTps` for the stack with the load test that justifies it.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="COST06-BP03",
    url="https://docs.aws.amazon.com/personalize/latest/dg/campaigns.html",
    settings={"maximumTps": {"type": "integer", "minimum": 1, "default": 5}})


def check(props, config):
    tps = get_path(props, "minProvisionedTps")
    if tps is not None and tps > config.get("maximumTps", 5):
        yield f"`minProvisionedTps` is {tps:g}; at most {config.get('maximumTps', 5)} is allowed (billed per hour)."


POLICY = resource_policy(__name__, META, ["aws-native:personalize:Campaign"], check)

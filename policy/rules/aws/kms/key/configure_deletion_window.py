"""KMS keys wait long enough before a scheduled deletion takes effect."""
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="KMS-003", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="KMS keys have a deletion window of at least the configured minimum number of days, so a key "
                "scheduled for deletion by mistake can be recovered before its data becomes unreadable. Keys tagged "
                "environment=prod need 30 days whatever the policy config says.",
    remediation="Set `deletion_window_in_days` to at least the minimum (setting `minimumDays`; 30 in prod).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL09-BP01",
    url="https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html",
    settings={"minimumDays": {"type": "integer", "minimum": 7, "maximum": 30, "default": 7}},
    prod_settings={"minimumDays": 30}, exemptible_in_prod=False)


def check(props: Any, config: Mapping[str, Any]) -> Iterable[str]:
    window = props.get("deletionWindowInDays") or 30  # AWS's default when the input is absent
    if window < config["minimumDays"]:
        yield f"`deletionWindowInDays` is {int(window)}; expected at least {config['minimumDays']}."


POLICY = resource_policy(__name__, META, ["aws:kms/key:Key"], check)

"""SES configuration sets suppress addresses that bounced or complained."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="SES-003", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="SES v2 configuration sets suppress both BOUNCE and COMPLAINT addresses. Sending again to them "
                "raises the bounce and complaint rates that make SES pause the account's sending.",
    remediation="Set suppression_options={'suppressed_reasons': ['BOUNCE', 'COMPLAINT']}.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL11-BP01",
    url="https://docs.aws.amazon.com/ses/latest/dg/sending-email-suppression-list.html")


def check(props, _config):
    reasons = set(get_path(props, "suppressionOptions.suppressedReasons") or [])
    missing = sorted({"BOUNCE", "COMPLAINT"} - reasons)
    if missing:
        yield f"`suppressionOptions.suppressedReasons` lacks {missing}."


POLICY = resource_policy(__name__, META, ["aws:sesv2/configurationSet:ConfigurationSet"], check)

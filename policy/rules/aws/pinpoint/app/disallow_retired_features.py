"""No new Amazon Pinpoint engagement resources: those features end on 2026-10-30."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

APP = "aws:pinpoint/app:App"
# Engagement-only resources: email through Pinpoint, templates, and the Pinpoint event stream (analytics).
RETIRED = {"aws:pinpoint/emailChannel:EmailChannel": "the Pinpoint email channel (use SES v2)",
           "aws:pinpoint/emailTemplate:EmailTemplate": "Pinpoint message templates (use SES v2 templates)",
           "aws:pinpoint/eventStream:EventStream": "the Pinpoint event stream (use SES/SMS event destinations)"}
# App settings that only serve campaigns and journeys (engagement); an App for push channels sets none of them.
ENGAGEMENT_SETTINGS = ("campaignHook", "limits", "quietTime")
META = RuleMeta(
    id="PINPOINT-001", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.HIGH,
    description="No new Amazon Pinpoint engagement resources: email channels, email templates, event streams, "
                "or apps configured for campaigns and journeys (campaign hook, limits, quiet time). AWS ends "
                "these features on 2026-10-30. AWS End User Messaging resources (`Smsvoicev2*`) and a Pinpoint "
                "App used only for push channels continue and are not flagged.",
    remediation="Send e-mail with SES v2 (configuration set + event destination to Firehose), SMS with "
                "End User Messaging SMS (pinpoint.Smsvoicev2*), and segment/journey logic in the program; see "
                "docs/policy-catalogue.md. Keep existing Pinpoint data only for export.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="OPS01-BP06",
    url="https://docs.aws.amazon.com/pinpoint/latest/userguide/migrate.html")


def check(props, _config, resource_type):
    if resource_type in RETIRED:
        yield f"{RETIRED[resource_type]} is retired on 2026-10-30."
    elif resource_type == APP:
        used = [s for s in ENGAGEMENT_SETTINGS if props.get(s)]
        if used:
            yield f"the app sets engagement-only settings {used}; campaigns and journeys are retired on 2026-10-30."


POLICY = resource_policy(__name__, META, [APP, *RETIRED], check)

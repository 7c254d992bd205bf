"""Customer Profiles domains keep failed ingestions in a dead-letter queue."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="PROFILES-002", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="Customer Profiles domains set `deadLetterQueueUrl`, so records an integration could not "
                "ingest are kept in an SQS queue instead of being dropped.",
    remediation="Set dead_letter_queue_url=queue.url and let profile.amazonaws.com send to the queue "
                "(a queue policy conditioned on aws:SourceAccount).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP01",
    url="https://docs.aws.amazon.com/customerprofiles/latest/APIReference/API_CreateDomain.html")


def check(props, _config):
    if not props.get("deadLetterQueueUrl"):
        yield "`deadLetterQueueUrl` is not set."


POLICY = resource_policy(__name__, META, ["aws:customerprofiles/domain:Domain"], check)

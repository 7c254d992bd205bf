"""SQS queue policies allow nothing to everyone."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, public_statements, resource_policy

META = RuleMeta(
    id="SQS-002", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="SQS queue policies (`aws.sqs.QueuePolicy` or the queue's `policy`) have no Allow statement for "
                "principal `*` without an aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID condition.",
    remediation="Name the sending service (e.g. sns.amazonaws.com) and add an aws:SourceArn condition.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html")


def check(props, _config):
    for statement in public_statements(props.get("policy")):
        yield f"statement {statement.get('Sid', '(no Sid)')!r} allows principal '*' unconditionally."


POLICY = resource_policy(__name__, META, ["aws:sqs/queue:Queue", "aws:sqs/queuePolicy:QueuePolicy"], check)

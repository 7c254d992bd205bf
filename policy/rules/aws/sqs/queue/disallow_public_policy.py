"""SQS queue policies allow nothing to everyone."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, check_policy_not_public, resource_policy

META = RuleMeta(
    id="SQS-002", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="SQS queue policies (`aws.sqs.QueuePolicy` or the queue's `policy`) have no Allow statement for "
                "everyone without a condition pinning the caller (aws:SourceArn, aws:SourceAccount, "
                "aws:PrincipalOrgID with concrete values); " "condition values are read: wildcard ARNs or accounts, IfExists and ForAllValues forms, negated operators "
                "and keys such as aws:SecureTransport restrict nothing.",
    remediation="Name the sending service (e.g. sns.amazonaws.com) and add an aws:SourceArn condition.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html")

POLICY = resource_policy(__name__, META, ["aws:sqs/queue:Queue", "aws:sqs/queuePolicy:QueuePolicy"],
                         check_policy_not_public)

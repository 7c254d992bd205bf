"""SNS topic policies allow nothing to everyone."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, check_policy_not_public, resource_policy

META = RuleMeta(
    id="SNS-002", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="SNS topic policies (`aws.sns.TopicPolicy` or the topic's `policy`) have no Allow statement for "
                "everyone without a condition pinning the caller (aws:SourceAccount, aws:SourceArn, "
                "aws:PrincipalOrgID with concrete values); " "condition values are read: wildcard ARNs or accounts, IfExists and ForAllValues forms, negated operators "
                "and keys such as aws:SecureTransport restrict nothing.",
    remediation="Name the publishing service or account as principal and add an aws:SourceAccount condition.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP07",
    url="https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html")

POLICY = resource_policy(__name__, META, ["aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy"],
                         check_policy_not_public)

"""Lambda function URLs require IAM (SigV4) authentication."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, value_policy

# authorizationType is required by the provider, so an absent value cannot reach a real deployment.
POLICY = value_policy(__name__, RuleMeta(
    id="LAMBDA-011", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Lambda function URLs use authorization type `AWS_IAM`. A public function URL bypasses WAF, "
                "throttling and authentication; put CloudFront with origin access control in front instead.",
    remediation="Set `authorization_type='AWS_IAM'` and invoke through CloudFront with a Lambda origin access "
                "control, or through API Gateway.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC05-BP02",
    url="https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html"),
    "aws:lambda/functionUrl:FunctionUrl", "authorizationType", ["AWS_IAM"], absent_is_violation=True)

"""No resource input holds a secret by value."""
from pulumi_policy import EnforcementLevel, Severity

from rules import _secrets
from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="SECRETS-004", pillar=Pillar.SECURITY, severity=Severity.CRITICAL,
    description="No input of any resource holds a credential by value: known key formats (AWS, GitHub, Slack, "
                "Stripe, JWT, private keys... via detect-secrets), user:password in a URL, a literal under a "
                "secret-like name (PASSWORD in a Glue connection, api_key in a Lambda environment), or a "
                "high-entropy literal in a free-form map. Inputs are readable by anyone who can describe the "
                "resource and end up in the Pulumi state. Secrets Manager secret versions and SSM parameters "
                "carry secrets by design and are not checked.",
    remediation="Store the value in AWS Secrets Manager and pass its ARN (Lambda reads it at run time; Glue "
                "connections take SECRET_ID; CloudFront origins and URLs get it from the secret at deploy).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC02-BP03",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/best-practices.html")


def check(props, _config, resource_type):
    for path, what in _secrets.find(props, resource_type):
        yield f"input `{path}` holds {what}."


POLICY = resource_policy(__name__, META, None, check)

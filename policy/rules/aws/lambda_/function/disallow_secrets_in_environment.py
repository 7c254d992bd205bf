"""Lambda environment variables hold no secrets."""
import re

from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

# Names that usually carry a secret; a value that is an ARN or a parameter name is a reference, not a secret.
SECRET_NAME = re.compile(r"(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL)", re.IGNORECASE)
REFERENCE = re.compile(r"^(arn:aws[a-z-]*:|/|\{\{resolve:)")
META = RuleMeta(
    id="LAMBDA-007", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Lambda environment variables whose names suggest a secret hold a reference (a Secrets Manager "
                "ARN or a parameter name), not the secret itself, because environment values are visible to "
                "anyone who can read the function configuration.",
    remediation="Store the value in AWS Secrets Manager and pass its ARN (e.g. `SIGNING_SECRET_ARN`); read it "
                "at runtime with the Parameters and Secrets extension or Powertools parameters.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC02-BP03",
    url="https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html")


def check(props, _config):
    variables = (props.get("environment") or {}).get("variables") or {}
    for name in sorted(variables):
        value = variables[name]
        if SECRET_NAME.search(name) and not name.upper().endswith(("_ARN", "_NAME", "_ID")) and \
                isinstance(value, str) and value and not REFERENCE.match(value):
            yield f"environment variable {name} looks like a literal secret; pass a Secrets Manager ARN instead."


POLICY = resource_policy(__name__, META, ["aws:lambda/function:Function"], check)

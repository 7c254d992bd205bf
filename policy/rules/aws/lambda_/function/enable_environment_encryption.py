"""Lambda environment variables are encrypted with a customer-managed key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="LAMBDA-006", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="Lambda functions with environment variables encrypt them with a customer-managed KMS key "
                "(`kmsKeyArn`), so reading them needs kms:Decrypt on the stack's key.",
    remediation="Set `kms_key_arn` to the stack's key ARN (components.PackagedFunction does this).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html")


def check(props, _config):
    variables = (props.get("environment") or {}).get("variables") or {}
    if variables and not props.get("kmsKeyArn"):
        yield f"{len(variables)} environment variable(s) without `kmsKeyArn`."


POLICY = resource_policy(__name__, META, ["aws:lambda/function:Function"], check)

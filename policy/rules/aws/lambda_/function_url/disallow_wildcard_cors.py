"""Lambda function URLs do not allow every origin in CORS."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="LAMBDA-012", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="Lambda function URLs list their allowed CORS origins instead of `*`, so other sites cannot "
                "call the function from a visitor's browser.",
    remediation="Set `cors.allow_origins` to the site's own origins (e.g. https://preferences.example.com).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC05-BP02",
    url="https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html")


def check(props, _config):
    origins = list((props.get("cors") or {}).get("allowOrigins") or [])
    if "*" in origins:
        yield "`cors.allowOrigins` contains '*'."


POLICY = resource_policy(__name__, META, ["aws:lambda/functionUrl:FunctionUrl"], check)

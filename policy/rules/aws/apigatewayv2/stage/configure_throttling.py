"""API Gateway HTTP API stages throttle requests."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="APIGW-002", pillar=Pillar.RELIABILITY, severity=Severity.MEDIUM,
    description="API Gateway v2 stages set a default burst and rate limit (`defaultRouteSettings`), so one "
                "client cannot exhaust the account-wide limit or the backend's concurrency.",
    remediation="Set default_route_settings={'throttling_burst_limit': ..., 'throttling_rate_limit': ...} "
                "sized to the backend (e.g. the Lambda's reserved concurrency).",
    default_level=EnforcementLevel.ADVISORY, wa_reference="REL05-BP02",
    url="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html")


def check(props, _config):
    for limit in ("throttlingBurstLimit", "throttlingRateLimit"):
        value = get_path(props, f"defaultRouteSettings.{limit}")
        if not value or value <= 0:
            yield f"`defaultRouteSettings.{limit}` is not set to a positive limit."


POLICY = resource_policy(__name__, META, ["aws:apigatewayv2/stage:Stage"], check)

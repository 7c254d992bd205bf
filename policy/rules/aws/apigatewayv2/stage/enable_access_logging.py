"""API Gateway HTTP API stages write access logs."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="APIGW-001", pillar=Pillar.OPERATIONAL_EXCELLENCE, severity=Severity.MEDIUM,
    description="API Gateway v2 stages write access logs (`accessLogSettings` with a destination log group and "
                "a format), the only per-request record of who called which route.",
    remediation="Set access_log_settings={'destination_arn': log_group.arn, 'format': json.dumps({...})} with "
                "requestId, ip, routeKey, status and integrationError.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="OPS08-BP01",
    url="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging.html")


def check(props, _config):
    settings = props.get("accessLogSettings") or {}
    if not settings.get("destinationArn") or not settings.get("format"):
        yield "`accessLogSettings` needs both `destinationArn` and `format`."


POLICY = resource_policy(__name__, META, ["aws:apigatewayv2/stage:Stage"], check)

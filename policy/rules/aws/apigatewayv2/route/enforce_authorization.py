"""API Gateway HTTP API routes require authorization, except listed public routes."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="APIGW-003", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="API Gateway v2 routes use an authorizer (`authorizationType` JWT, AWS_IAM or CUSTOM). Routes "
                "that must be public (e.g. a one-click unsubscribe link authenticated by a signed token) are "
                "listed by route key in setting `publicRoutes`.",
    remediation="Attach a JWT, IAM or Lambda authorizer to the route, or add its route key (e.g. "
                "'POST /unsubscribe') to `publicRoutes` in the policy config with the reason in a comment.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC03-BP01",
    url="https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-access-control.html",
    settings={"publicRoutes": {"type": "array", "items": {"type": "string"}, "default": []}})


def check(props, config):
    route = props.get("routeKey")
    if props.get("authorizationType", "NONE") in ("NONE", None) and route not in config["publicRoutes"]:
        yield f"route {route!r} has no authorization and is not listed in `publicRoutes`."


POLICY = resource_policy(__name__, META, ["aws:apigatewayv2/route:Route"], check)

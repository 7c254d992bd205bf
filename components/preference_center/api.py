"""The HTTP API in front of functions/preference_api: explicit routes, a throttled `$default` stage, access logs.

CloudFront forwards `/api/*` unchanged, so the routes carry the `/api` prefix the handler's resolver strips.
Only the handler's routes exist: anything else gets API Gateway's 404 without invoking (or billing) the Lambda.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from ..kms import EncryptionKey
from ..lambda_function import PackagedFunction
from ..observability import log_group

PREFIX = "/api"
# (method, path) exactly as registered in functions/preference_api/handler.py (a test compares the two).
ROUTES = (
    ("GET", "/centers/{pc_id}/config"),
    ("GET", "/centers/{pc_id}/preferences"),
    ("PUT", "/centers/{pc_id}/preferences"),
    ("POST", "/centers/{pc_id}/optin"),
    ("GET", "/centers/{pc_id}/unsubscribe"),
    ("POST", "/centers/{pc_id}/unsubscribe"),
)
# No query string (one-click URLs carry a token) and no viewer IP: behind CloudFront, API Gateway only sees the
# edge's address, logged as `edgeIp`; the viewer's is in the CloudFront log (`c-ip`) and, hashed, in the consent log.
ACCESS_LOG_FORMAT = json.dumps({
    "requestId": "$context.requestId", "edgeIp": "$context.identity.sourceIp", "requestTime": "$context.requestTime",
    "httpMethod": "$context.httpMethod", "routeKey": "$context.routeKey", "status": "$context.status",
    "protocol": "$context.protocol", "responseLength": "$context.responseLength",
    "latency": "$context.responseLatency", "integrationLatency": "$context.integrationLatency",
    "integrationError": "$context.integrationErrorMessage", "userAgent": "$context.identity.userAgent",
}, separators=(",", ":"))


@dataclass(frozen=True)
class ApiSettings:
    log_retention_days: int
    throttling_burst_limit: int = 100
    """Requests the stage absorbs at once before answering 429."""
    throttling_rate_limit: float = 50.0
    """Steady requests per second across all clients (WAF limits each IP separately)."""
    integration_timeout_ms: int = 15_000
    """Longer than the function's own timeout, so a slow call ends as the handler's JSON error, not a 503."""


def route_keys() -> list[str]:
    return [f"{method} {PREFIX}{path}" for method, path in ROUTES]


def create_api(name: str, parent: pulumi.Resource, origin_domain: bool) -> aws.apigatewayv2.Api:
    """With an origin domain, the default execute-api endpoint is disabled: the API then answers only on the
    regional custom domain, which CloudFront uses as its origin, so no request skips CloudFront and WAF. Without
    one, the execute-api endpoint is CloudFront's origin and stays reachable: it answers 403 to anything without
    the edge's X-Origin-Verify proof before doing any work (functions/preference_api/edge.py), but such requests
    still reach the function and share the stage throttle."""
    return aws.apigatewayv2.Api(f"{name}-http-api", protocol_type="HTTP",
                                description="Preference-center API (served under /api by CloudFront)",
                                disable_execute_api_endpoint=origin_domain,
                                opts=pulumi.ResourceOptions(parent=parent))


def create_origin_domain(name: str, api: aws.apigatewayv2.Api, stage: aws.apigatewayv2.Stage, domain_name: str,
                         certificate_arn: str, parent: pulumi.Resource) -> aws.apigatewayv2.DomainName:
    """The regional custom domain (TLS 1.2) the API answers on once execute-api is disabled. DNS: a CNAME (or
    Route 53 alias) from `domain_name` to the exported target name; CloudFront connects to it by name."""
    domain = aws.apigatewayv2.DomainName(
        f"{name}-api-domain", domain_name=domain_name,
        domain_name_configuration=aws.apigatewayv2.DomainNameDomainNameConfigurationArgs(
            certificate_arn=certificate_arn, endpoint_type="REGIONAL", security_policy="TLS_1_2"),
        opts=pulumi.ResourceOptions(parent=parent))
    aws.apigatewayv2.ApiMapping(f"{name}-api-mapping", api_id=api.id, domain_name=domain.domain_name,
                                stage=stage.name, opts=pulumi.ResourceOptions(parent=parent))
    return domain


def connect_function(name: str, api: aws.apigatewayv2.Api, function: PackagedFunction, key: EncryptionKey,
                     settings: ApiSettings, parent: pulumi.Resource) -> aws.apigatewayv2.Stage:
    child = pulumi.ResourceOptions(parent=parent)
    integration = aws.apigatewayv2.Integration(
        f"{name}-api-integration", api_id=api.id, integration_type="AWS_PROXY", integration_method="POST",
        integration_uri=function.arn, payload_format_version="2.0",
        timeout_milliseconds=settings.integration_timeout_ms, opts=child)
    for method, path in ROUTES:
        role = f"{method.lower()}-{path.strip('/').replace('/', '-').replace('{', '').replace('}', '')}"
        # No API Gateway authorizer by design: the handler verifies the signed link token on every user route,
        # and reading the config and opting in are public. Policy APIGW-003 lists these keys in `publicRoutes`.
        aws.apigatewayv2.Route(f"{name}-route-{role}", api_id=api.id, route_key=f"{method} {PREFIX}{path}",
                               authorization_type="NONE",
                               target=pulumi.Output.concat("integrations/", integration.id), opts=child)
    logs = log_group(f"{name}-api-access-logs", f"apigateway/{name}", settings.log_retention_days, key.arn, parent)
    stage = aws.apigatewayv2.Stage(
        f"{name}-api-stage", api_id=api.id, name="$default", auto_deploy=True,
        access_log_settings=aws.apigatewayv2.StageAccessLogSettingsArgs(destination_arn=logs.arn,
                                                                        format=ACCESS_LOG_FORMAT),
        default_route_settings=aws.apigatewayv2.StageDefaultRouteSettingsArgs(
            throttling_burst_limit=settings.throttling_burst_limit,
            throttling_rate_limit=settings.throttling_rate_limit, detailed_metrics_enabled=True),
        opts=child)
    aws.lambda_.Permission(
        f"{name}-api-invoke", action="lambda:InvokeFunction", function=function.name,
        principal="apigateway.amazonaws.com", source_arn=pulumi.Output.concat(api.execution_arn, "/*/*"),
        opts=child)
    return stage

"""On-demand recommendations (with the optional campaign): `GET /recommendations/{user}`, IAM-authorised.

Callers sign requests with SigV4 (an application role allowed `execute-api:Invoke` on the route); there is no
unauthenticated route. Throttled `$default` stage with access logs, like the preference center's API.
"""
from __future__ import annotations

import pulumi
import pulumi_aws as aws

from .. import iam
from ..kms import EncryptionKey
from ..lambda_function import PackagedFunction, PackagedFunctionArgs
from ..observability import log_group
from ..preference_center.api import ACCESS_LOG_FORMAT
from contracts.category_consent import CategoryMap

ROUTE = "GET /recommendations/{user}"


def create(name: str, campaign_arn: pulumi.Output[str], filter_arn: pulumi.Output[str] | None, count: int,
           preferences_table: tuple[pulumi.Output[str], pulumi.Output[str]] | None, category_map: CategoryMap | None,
           key: EncryptionKey, log_retention_days: int, log_level: str,
           parent: pulumi.Resource) -> aws.apigatewayv2.Api:
    child = pulumi.ResourceOptions(parent=parent)
    statements = [iam.allow(["personalize:GetRecommendations"], [campaign_arn, *([filter_arn] if filter_arn else [])],
                            sid="CampaignRecommendations")]
    environment = {"CAMPAIGN_ARN": campaign_arn, "RECOMMENDATION_COUNT": str(count)}
    if filter_arn is not None:
        environment["FILTER_ARN"] = filter_arn
    if preferences_table:
        environment["PREFERENCES_TABLE"] = preferences_table[0]
        statements.append(iam.allow(["dynamodb:Query"], [preferences_table[1]], sid="ReadConsent"))
    if category_map is not None:
        environment["CATEGORY_MAP"] = category_map.to_json()
    function = PackagedFunction(f"{name}-api", PackagedFunctionArgs(
        source="predictive_engagement_api", kms_key=key, log_retention_days=log_retention_days, log_level=log_level,
        description="GET /recommendations/{user} from the Personalize campaign", timeout=10,
        statements=statements, environment=environment), opts=child)
    api = aws.apigatewayv2.Api(f"{name}-http-api", protocol_type="HTTP",
                               description="On-demand recommendations (IAM auth)", opts=child)
    integration = aws.apigatewayv2.Integration(
        f"{name}-api-integration", api_id=api.id, integration_type="AWS_PROXY", integration_method="POST",
        integration_uri=function.arn, payload_format_version="2.0", timeout_milliseconds=12_000, opts=child)
    aws.apigatewayv2.Route(f"{name}-route-recommendations", api_id=api.id, route_key=ROUTE,
                           authorization_type="AWS_IAM", target=pulumi.Output.concat("integrations/", integration.id),
                           opts=child)
    logs = log_group(f"{name}-api-access-logs", f"apigateway/{name}", log_retention_days, key.arn, parent)
    aws.apigatewayv2.Stage(
        f"{name}-api-stage", api_id=api.id, name="$default", auto_deploy=True,
        access_log_settings=aws.apigatewayv2.StageAccessLogSettingsArgs(destination_arn=logs.arn,
                                                                        format=ACCESS_LOG_FORMAT),
        default_route_settings=aws.apigatewayv2.StageDefaultRouteSettingsArgs(
            throttling_burst_limit=50, throttling_rate_limit=25.0, detailed_metrics_enabled=True), opts=child)
    aws.lambda_.Permission(f"{name}-api-invoke", action="lambda:InvokeFunction", function=function.name,
                           principal="apigateway.amazonaws.com",
                           source_arn=pulumi.Output.concat(api.execution_arn, "/*/*"), opts=child)
    return api

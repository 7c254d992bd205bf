"""EXPECTED: aws-apigatewayv2-api-disable-execute-api-endpoint. CLASS: 5. The HTTP API sits behind CloudFront and
WAF, but its default execute-api endpoint stays reachable, bypassing both."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
handler = b.function("api", kms)
api = aws.apigatewayv2.Api("api", name="api", protocol_type="HTTP", tags=b.TAGS)
integration = aws.apigatewayv2.Integration("api-lambda", api_id=api.id, integration_type="AWS_PROXY",
                                           integration_uri=handler.invoke_arn, payload_format_version="2.0")
aws.apigatewayv2.Route("api-get", api_id=api.id, route_key="GET /items", authorization_type="AWS_IAM",
                       target=integration.id.apply(lambda i: f"integrations/{i}"))
access = b.log_group("api-access", kms)
aws.apigatewayv2.Stage("api-stage", api_id=api.id, name="$default", auto_deploy=True, tags=b.TAGS,
                       access_log_settings={"destination_arn": access.arn, "format": '{"requestId":"$context.requestId"}'},
                       default_route_settings={"throttling_burst_limit": 100, "throttling_rate_limit": 50})
aws.lambda_.Permission("api-invoke", action="lambda:InvokeFunction", function=handler.name,
                       principal="apigateway.amazonaws.com", source_arn=api.execution_arn.apply(lambda a: f"{a}/*"))
domain = api.api_endpoint.apply(lambda url: url.removeprefix("https://"))
b.distribution("front", domain, b.web_acl(kms), kms)

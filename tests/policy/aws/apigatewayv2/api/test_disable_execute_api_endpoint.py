"""aws-apigatewayv2-api-disable-execute-api-endpoint: no default endpoint around a CloudFront + WAF front door."""
POLICY = "aws-apigatewayv2-api-disable-execute-api-endpoint"
API, CDN = "aws:apigatewayv2/api:Api", "aws:cloudfront/distribution:Distribution"
API_ORIGIN = {"originId": "api", "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
              "customOriginConfig": {"originProtocolPolicy": "https-only", "httpPort": 80.0, "httpsPort": 443.0,
                                     "originSslProtocols": ["TLSv1.2"]}}


def front_door(make, api_changes=None, deps=True):
    api = make(API, api_changes, name="http-api")
    cdn = make(CDN, {"origins.0": API_ORIGIN}, name="cdn", deps={"origins": ["http-api"]} if deps else {})
    return [api, cdn]


def test_api_behind_cloudfront_with_default_endpoint_disabled_is_compliant(run_rule, make):
    assert run_rule(POLICY, *front_door(make)) == []


def test_api_behind_cloudfront_with_default_endpoint_open_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, *front_door(make, {"disableExecuteApiEndpoint": False})), "bypassing")


def test_default_endpoint_left_unset_found_by_origin_host_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, *front_door(make, {"disableExecuteApiEndpoint": fx.DELETE}, deps=False)), "bypassing")


def test_api_without_cloudfront_may_keep_its_endpoint(run_rule, make):
    assert run_rule(POLICY, make(API, {"disableExecuteApiEndpoint": False})) == []

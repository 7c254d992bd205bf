"""aws-cloudfront-distribution-enforce-https-origin: HTTPS also on the hop from CloudFront to a custom origin."""
import pytest

POLICY = "aws-cloudfront-distribution-enforce-https-origin"
TYPE = "aws:cloudfront/distribution:Distribution"
API = {"originId": "api", "domainName": "abc123.execute-api.us-east-1.amazonaws.com",
       "customOriginConfig": {"originProtocolPolicy": "https-only", "httpPort": 80.0, "httpsPort": 443.0,
                              "originSslProtocols": ["TLSv1.2"]}}


def test_s3_origin_and_https_custom_origin_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []
    assert run_rule(POLICY, make(TYPE, {"origins.0": API})) == []


@pytest.mark.parametrize("policy", ["http-only", "match-viewer"])
def test_custom_origin_reachable_over_http_is_violation(run_rule, make, violation, policy):
    origin = {**API, "customOriginConfig": {**API["customOriginConfig"], "originProtocolPolicy": policy}}
    violation(run_rule(POLICY, make(TYPE, {"origins.0": origin})), "expected 'https-only'")


def test_custom_origin_offering_tls1_is_violation(run_rule, make, violation):
    origin = {**API, "customOriginConfig": {**API["customOriginConfig"], "originSslProtocols": ["TLSv1", "TLSv1.2"]}}
    violation(run_rule(POLICY, make(TYPE, {"origins.0": origin})), "still offers ['TLSv1']")

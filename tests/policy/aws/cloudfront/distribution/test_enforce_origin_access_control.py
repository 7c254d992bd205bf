"""aws-cloudfront-distribution-enforce-origin-access-control: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudfront-distribution-enforce-origin-access-control"
TYPE = "aws:cloudfront/distribution:Distribution"


def test_s3_origin_with_oac_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_s3_origin_without_oac_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"origins.0": {"originId": "site", "domainName": "site-bucket.s3.amazonaws.com"}})),
              "S3 origin 'site' has no origin access control")


def test_custom_origin_is_not_in_scope(run_rule, make):
    assert run_rule(POLICY, make(TYPE, {"origins.0": {"originId": "api", "domainName": "abc123.execute-api.us-east-1.amazonaws.com"}})) == []

"""aws-cloudfront-distribution-configure-response-headers-policy: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudfront-distribution-configure-response-headers-policy"
TYPE = "aws:cloudfront/distribution:Distribution"


def test_security_headers_policy_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_default_behavior_without_headers_policy_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"defaultCacheBehavior.responseHeadersPolicyId": fx.DELETE})),
              "cache behavior 'default' has no `responseHeadersPolicyId`")

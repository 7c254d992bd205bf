"""aws-cloudfront-distribution-configure-cache-policy: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudfront-distribution-configure-cache-policy"
TYPE = "aws:cloudfront/distribution:Distribution"


def test_cache_policy_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_legacy_forwarded_values_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"defaultCacheBehavior.cachePolicyId": fx.DELETE, "defaultCacheBehavior.forwardedValues": {"queryString": True}})),
              "cache behavior 'default' has no `cachePolicyId`")

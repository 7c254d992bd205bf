"""aws-cloudfront-distribution-enable-compression: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudfront-distribution-enable-compression"
TYPE = "aws:cloudfront/distribution:Distribution"


def test_compressed_behaviors_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_uncompressed_default_behavior_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"defaultCacheBehavior.compress": False})),
              "cache behavior 'default' does not compress responses")

"""aws-cloudfront-distribution-enforce-https-viewer: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudfront-distribution-enforce-https-viewer"
TYPE = "aws:cloudfront/distribution:Distribution"


def test_redirect_to_https_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_allow_all_on_ordered_behavior_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"orderedCacheBehaviors.0.viewerProtocolPolicy": "allow-all"})),
              "cache behavior '/api/*' allows viewer protocol 'allow-all'")

"""aws-cloudfront-distribution-enable-waf: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudfront-distribution-enable-waf"
TYPE = "aws:cloudfront/distribution:Distribution"


def test_distribution_with_web_acl_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_distribution_without_web_acl_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"webAclId": fx.DELETE})),
              '`webAclId` is not set')

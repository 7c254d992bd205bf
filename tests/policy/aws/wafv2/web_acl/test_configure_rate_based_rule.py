"""aws-wafv2-web-acl-configure-rate-based-rule: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-wafv2-web-acl-configure-rate-based-rule"
TYPE = "aws:wafv2/webAcl:WebAcl"


def test_acl_with_rate_rule_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_acl_without_rate_rule_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"rules.0.statement": {"managedRuleGroupStatement": {"name": "AWSManagedRulesCommonRuleSet", "vendorName": "AWS"}}})),
              'the web ACL has no rate-based rule')

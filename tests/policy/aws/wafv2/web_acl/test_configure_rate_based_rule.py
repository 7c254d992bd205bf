"""aws-wafv2-web-acl-configure-rate-based-rule: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-wafv2-web-acl-configure-rate-based-rule"
TYPE = "aws:wafv2/webAcl:WebAcl"


def test_acl_with_rate_rule_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_acl_without_rate_rule_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"rules.0.statement": {"managedRuleGroupStatement": {"name": "AWSManagedRulesCommonRuleSet", "vendorName": "AWS"}}})),
              'the web ACL has no rate-based rule')


import pytest  # noqa: E402


@pytest.mark.parametrize("action", [{"count": {}}, {}])
def test_rate_rule_that_only_counts_is_violation(run_rule, make, violation, action):
    violation(run_rule(POLICY, make(TYPE, {"rules.0.action": action})), "only count")


def test_rate_rule_with_challenge_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE, {"rules.0.action": {"challenge": {}}})) == []


def test_rate_limit_too_high_to_matter_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"rules.0.statement.rateBasedStatement.limit": 2000000.0})),
              "more than 2000 requests")

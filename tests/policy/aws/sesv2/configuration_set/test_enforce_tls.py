"""aws-sesv2-configuration-set-enforce-tls: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sesv2-configuration-set-enforce-tls"
TYPE = "aws:sesv2/configurationSet:ConfigurationSet"


def test_tls_required_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_optional_tls_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"deliveryOptions.tlsPolicy": "OPTIONAL"})),
              "`deliveryOptions.tlsPolicy` is 'OPTIONAL'")

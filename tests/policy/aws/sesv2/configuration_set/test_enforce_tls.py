"""aws-sesv2-configuration-set-enforce-tls: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sesv2-configuration-set-enforce-tls"
TYPE = "aws:sesv2/configurationSet:ConfigurationSet"


def test_tls_required_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_optional_tls_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"deliveryOptions.tlsPolicy": "OPTIONAL"})),
              "`deliveryOptions.tlsPolicy` is 'OPTIONAL'")


import pytest  # noqa: E402


@pytest.mark.parametrize("https_policy", ["OPTIONAL", "REQUIRE_OPEN_ONLY", None])
def test_tracking_links_over_http_are_violation(run_rule, make, violation, https_policy):
    tracking = {"customRedirectDomain": "click.example.com", **({"httpsPolicy": https_policy} if https_policy else {})}
    violation(run_rule(POLICY, make(TYPE, {"trackingOptions": tracking})), "tracking links must require HTTPS")


def test_tracking_links_over_https_are_compliant(run_rule, make):
    tracking = {"customRedirectDomain": "click.example.com", "httpsPolicy": "REQUIRE"}
    assert run_rule(POLICY, make(TYPE, {"trackingOptions": tracking})) == []

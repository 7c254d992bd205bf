"""aws-cloudfront-distribution-configure-tls-min-version: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudfront-distribution-configure-tls-min-version"
TYPE = "aws:cloudfront/distribution:Distribution"


def test_tls12_2021_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_tls1_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"viewerCertificate.minimumProtocolVersion": "TLSv1"})),
              "`viewerCertificate.minimumProtocolVersion` is 'TLSv1'")


def test_default_certificate_is_violation_when_not_allowed(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"viewerCertificate": {"cloudfrontDefaultCertificate": True}}), config={'allowDefaultCertificate': False}),
              'uses the default certificate')

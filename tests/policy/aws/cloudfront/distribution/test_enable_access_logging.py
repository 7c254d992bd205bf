"""aws-cloudfront-distribution-enable-access-logging: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudfront-distribution-enable-access-logging"
TYPE_DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
TYPE_SOURCE = "aws:cloudwatch/logDeliverySource:LogDeliverySource"


def test_standard_logs_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE_DISTRIBUTION)) == []


def test_no_logging_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE_DISTRIBUTION, {"loggingConfig": fx.DELETE})),
              'has neither standard logs nor a log delivery source')


def test_log_delivery_source_v2_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE_DISTRIBUTION, {"loggingConfig": fx.DELETE}, name="cdn"), make(TYPE_SOURCE, deps={"resourceArn": ["cdn"]})) == []

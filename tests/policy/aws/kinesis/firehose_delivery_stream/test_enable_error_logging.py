"""aws-kinesis-firehose-delivery-stream-enable-error-logging: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-kinesis-firehose-delivery-stream-enable-error-logging"
TYPE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"


def test_logging_and_error_prefix_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_cloudwatch_logging_disabled_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"extendedS3Configuration.cloudwatchLoggingOptions.enabled": False})),
              '`extendedS3Configuration.cloudwatchLoggingOptions.enabled` is not true')


def test_missing_error_output_prefix_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"extendedS3Configuration.errorOutputPrefix": fx.DELETE})),
              '`extendedS3Configuration.errorOutputPrefix` is not set')

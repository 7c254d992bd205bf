"""aws-kinesis-firehose-delivery-stream-configure-buffering: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-kinesis-firehose-delivery-stream-configure-buffering"
TYPE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"


def test_64_mb_buffer_with_dynamic_partitioning_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_small_buffer_with_dynamic_partitioning_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"extendedS3Configuration.bufferingSize": 5.0})),
              '`bufferingSize` is 5 MB')


def test_implicit_buffering_interval_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"extendedS3Configuration.bufferingInterval": fx.DELETE})),
              'must both be set explicitly')

"""aws-kinesis-firehose-delivery-stream-enable-parquet-conversion: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-kinesis-firehose-delivery-stream-enable-parquet-conversion"
TYPE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"


def test_parquet_conversion_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_json_delivery_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"extendedS3Configuration.dataFormatConversionConfiguration": fx.DELETE})),
              '`dataFormatConversionConfiguration` is not enabled')


def test_gzip_with_conversion_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"extendedS3Configuration.compressionFormat": "GZIP"})),
              "`compressionFormat` is 'GZIP'")

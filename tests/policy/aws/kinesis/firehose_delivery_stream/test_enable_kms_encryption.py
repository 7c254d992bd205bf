"""aws-kinesis-firehose-delivery-stream-enable-kms-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-kinesis-firehose-delivery-stream-enable-kms-encryption"
TYPE = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"


def test_cmk_stream_and_objects_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_aws_owned_stream_key_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"serverSideEncryption.keyType": "AWS_OWNED_CMK"})),
              '`serverSideEncryption` is not enabled with a CUSTOMER_MANAGED_CMK key')


def test_missing_s3_kms_key_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"extendedS3Configuration.kmsKeyArn": fx.DELETE})),
              '`extendedS3Configuration.kmsKeyArn` is not set')

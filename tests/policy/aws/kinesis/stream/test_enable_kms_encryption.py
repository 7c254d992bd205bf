"""aws-kinesis-stream-enable-kms-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-kinesis-stream-enable-kms-encryption"
TYPE = "aws:kinesis/stream:Stream"


def test_kms_stream_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_unencrypted_stream_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"encryptionType": "NONE"})),
              "`encryptionType` is 'NONE'")


def test_aws_managed_key_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"kmsKeyId": "alias/aws/kinesis"})),
              '`kmsKeyId` is not a customer-managed key')

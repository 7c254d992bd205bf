"""aws-s3-bucket-enable-kms-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-s3-bucket-enable-kms-encryption"


def test_bucket_with_kms_key_is_compliant(run_rule, fx):
    assert run_rule(POLICY, *fx.bucket_stack()) == []


def test_missing_encryption_configuration_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(sse=fx.DELETE)),
              'has no server-side encryption configuration')


def test_sse_s3_on_data_bucket_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(sse={"rules.0": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}})),
              "encrypts with 'AES256'")

"""aws-s3-bucket-enable-bucket-key: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-s3-bucket-enable-bucket-key"


def test_kms_with_bucket_key_is_compliant(run_rule, fx):
    assert run_rule(POLICY, *fx.bucket_stack()) == []


def test_kms_without_bucket_key_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(sse={"rules.0.bucketKeyEnabled": False})),
              'uses aws:kms without a bucket key')

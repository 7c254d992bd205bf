"""aws-s3-bucket-enable-noncurrent-version-expiration: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-s3-bucket-enable-noncurrent-version-expiration"


def test_versioned_bucket_expiring_old_versions_is_compliant(run_rule, fx):
    assert run_rule(POLICY, *fx.bucket_stack()) == []


def test_versioned_bucket_keeping_versions_forever_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(lifecycle={"rules.1.noncurrentVersionExpiration": fx.DELETE})),
              'never expires noncurrent versions')


def test_unversioned_bucket_is_not_in_scope(run_rule, fx):
    assert run_rule(POLICY, *fx.bucket_stack(versioning=fx.DELETE, lifecycle=fx.DELETE)) == []

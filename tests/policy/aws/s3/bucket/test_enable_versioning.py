"""aws-s3-bucket-enable-versioning: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-s3-bucket-enable-versioning"


def test_versioned_bucket_is_compliant(run_rule, fx):
    assert run_rule(POLICY, *fx.bucket_stack()) == []


def test_missing_versioning_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(versioning=fx.DELETE)),
              'has no versioning with status Enabled')


def test_suspended_versioning_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(versioning={"versioningConfiguration.status": "Suspended"})),
              "found ['Suspended']")

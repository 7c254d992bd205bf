"""aws-s3-bucket-configure-lifecycle: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-s3-bucket-configure-lifecycle"


def test_lifecycle_aborting_uploads_is_compliant(run_rule, fx):
    assert run_rule(POLICY, *fx.bucket_stack()) == []


def test_missing_lifecycle_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(lifecycle=fx.DELETE)),
              'has no lifecycle configuration')


def test_lifecycle_without_abort_rule_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(lifecycle={"rules.0": {"id": "x", "status": "Enabled", "expiration": {"days": 30.0}}})),
              'no enabled lifecycle rule aborting incomplete multipart uploads')


def test_disabled_abort_rule_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(lifecycle={"rules.0.status": "Disabled"})),
              'no enabled lifecycle rule aborting')

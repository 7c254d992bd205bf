"""aws-s3-bucket-enable-access-logging: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-s3-bucket-enable-access-logging"


def test_bucket_logging_to_log_bucket_is_compliant(run_rule, fx):
    assert run_rule(POLICY, *fx.bucket_stack()) == []


def test_missing_access_logging_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(logging=fx.DELETE)),
              'has no server access logging')


def test_log_bucket_itself_is_not_required_to_log(run_rule, fx):
    assert run_rule(POLICY, *fx.bucket_stack(logging=fx.DELETE, policy={"policy": fx.doc({"Effect": "Allow", "Principal": {"Service": "logging.s3.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "*"})})) == []

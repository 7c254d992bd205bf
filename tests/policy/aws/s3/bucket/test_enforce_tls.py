"""aws-s3-bucket-enforce-tls: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-s3-bucket-enforce-tls"


def test_bucket_policy_denying_plain_http_is_compliant(run_rule, fx):
    assert run_rule(POLICY, *fx.bucket_stack()) == []


def test_missing_bucket_policy_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(policy=fx.DELETE)),
              'has no policy denying requests without TLS')


def test_tls_deny_turned_into_allow_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(policy={"policy": fx.doc({"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})})),
              'has no policy denying requests without TLS')

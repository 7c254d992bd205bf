"""aws-s3-bucket-disallow-public-access: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-s3-bucket-disallow-public-access"


def test_bucket_with_full_public_access_block_is_compliant(run_rule, fx):
    assert run_rule(POLICY, *fx.bucket_stack()) == []


def test_missing_public_access_block_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(pab=fx.DELETE)),
              'has no public access block')


def test_block_public_policy_off_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(pab={"blockPublicPolicy": False})),
              'leaves blockPublicPolicy off')


def test_public_read_acl_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(bucket={"acl": "public-read"})),
              "has the public ACL 'public-read'")

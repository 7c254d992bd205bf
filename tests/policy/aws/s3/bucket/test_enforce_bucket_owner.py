"""aws-s3-bucket-enforce-bucket-owner: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-s3-bucket-enforce-bucket-owner"


def test_bucket_owner_enforced_is_compliant(run_rule, fx):
    assert run_rule(POLICY, *fx.bucket_stack()) == []


def test_object_writer_ownership_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(ownership={"rule.objectOwnership": "ObjectWriter"})),
              "found ['ObjectWriter']")


def test_missing_ownership_controls_is_violation(run_rule, fx, violation):
    violation(run_rule(POLICY, *fx.bucket_stack(ownership=fx.DELETE)),
              'found none')

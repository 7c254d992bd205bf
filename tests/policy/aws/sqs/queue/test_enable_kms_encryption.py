"""aws-sqs-queue-enable-kms-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-sqs-queue-enable-kms-encryption"
TYPE = "aws:sqs/queue:Queue"


def test_cmk_queue_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_sqs_managed_sse_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"kmsMasterKeyId": fx.DELETE, "sqsManagedSseEnabled": True})),
              '`kmsMasterKeyId` is not set')

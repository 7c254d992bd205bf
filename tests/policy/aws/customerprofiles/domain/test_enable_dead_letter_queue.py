"""aws-customerprofiles-domain-enable-dead-letter-queue: the compliant baseline, then one changed field."""
POLICY = "aws-customerprofiles-domain-enable-dead-letter-queue"
TYPE = "aws:customerprofiles/domain:Domain"


def test_domain_with_dlq_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_domain_without_dlq_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, {"deadLetterQueueUrl": fx.DELETE})), "`deadLetterQueueUrl`")

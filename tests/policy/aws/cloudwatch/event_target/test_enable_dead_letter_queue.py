"""aws-cloudwatch-event-target-enable-dead-letter-queue: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-cloudwatch-event-target-enable-dead-letter-queue"
TYPE = "aws:cloudwatch/eventTarget:EventTarget"


def test_target_with_dlq_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_target_without_dlq_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"deadLetterConfig": fx.DELETE})),
              '`deadLetterConfig.arn` is not set')

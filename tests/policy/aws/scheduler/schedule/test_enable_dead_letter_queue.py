"""aws-scheduler-schedule-enable-dead-letter-queue: the compliant baseline, then one changed field."""
POLICY = "aws-scheduler-schedule-enable-dead-letter-queue"
TYPE = "aws:scheduler/schedule:Schedule"


def test_schedule_with_dlq_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_schedule_without_dlq_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, {"target.deadLetterConfig": fx.DELETE})),
              "`target.deadLetterConfig.arn` is not set")

"""aws-scheduler-schedule-configure-retry-policy: the compliant baseline, then one changed field per case."""
POLICY = "aws-scheduler-schedule-configure-retry-policy"
TYPE = "aws:scheduler/schedule:Schedule"


def test_three_retries_within_an_hour_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_default_retry_policy_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, {"target.retryPolicy": fx.DELETE})), "185 retries over 24 hours")


def test_no_retry_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"target.retryPolicy.maximumRetryAttempts": 0.0})), "is 0")


def test_too_many_retries_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"target.retryPolicy.maximumRetryAttempts": 50.0})),
              "expected 1 to 10")

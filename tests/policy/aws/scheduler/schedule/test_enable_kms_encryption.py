"""aws-scheduler-schedule-enable-kms-encryption: the compliant baseline, then one changed field."""
POLICY = "aws-scheduler-schedule-enable-kms-encryption"
TYPE = "aws:scheduler/schedule:Schedule"


def test_schedule_with_customer_key_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_schedule_with_aws_owned_key_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, {"kmsKeyArn": fx.DELETE})), "`kmsKeyArn` is not set")

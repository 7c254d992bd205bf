"""aws-dynamodb-table-enable-point-in-time-recovery: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-dynamodb-table-enable-point-in-time-recovery"
TYPE = "aws:dynamodb/table:Table"


def test_pitr_enabled_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_missing_pitr_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"pointInTimeRecovery": fx.DELETE})),
              '`pointInTimeRecovery.enabled` is not set')


def test_pitr_disabled_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"pointInTimeRecovery.enabled": False})),
              '`pointInTimeRecovery.enabled` is False')

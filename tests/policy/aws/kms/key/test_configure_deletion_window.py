"""aws-kms-key-configure-deletion-window: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-kms-key-configure-deletion-window"
TYPE = "aws:kms/key:Key"


def test_thirty_day_window_is_compliant_with_prod_minimum(run_rule, make):
    assert run_rule(POLICY, make(TYPE), config={'minimumDays': 30}) == []


def test_seven_day_window_below_prod_minimum_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"deletionWindowInDays": 7.0}), config={'minimumDays': 30}),
              '`deletionWindowInDays` is 7; expected at least 30')


def test_seven_day_window_meets_default_minimum(run_rule, make):
    assert run_rule(POLICY, make(TYPE, {"deletionWindowInDays": 7.0})) == []

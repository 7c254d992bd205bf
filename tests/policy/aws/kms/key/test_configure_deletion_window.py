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


def test_prod_tagged_key_needs_thirty_days_under_a_dev_config(run_rule, make, violation):
    key = make(TYPE, {"deletionWindowInDays": 7.0, "tags": {"environment": "prod"}})
    violation(run_rule(POLICY, key, config={"minimumDays": 7}), "expected at least 30")


def test_stricter_config_than_the_prod_floor_still_wins(run_rule, make):
    key = make(TYPE, {"deletionWindowInDays": 30.0, "tags": {"environment": "production"}})
    assert run_rule(POLICY, key, config={"minimumDays": 30}) == []

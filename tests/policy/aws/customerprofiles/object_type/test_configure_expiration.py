"""aws-customerprofiles-object-type-configure-expiration (aws-native type)."""
POLICY = "aws-customerprofiles-object-type-configure-expiration"
TYPE = "aws-native:customerprofiles:ObjectType"


def test_one_year_expiration_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_missing_expiration_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, {"expirationDays": fx.DELETE})), "`expirationDays` is not set")


def test_ten_years_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"expirationDays": 3650})), "`expirationDays` is 3650; at most 1098")

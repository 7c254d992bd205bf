"""aws-customerprofiles-domain-configure-expiration: the compliant baseline, then one changed field per case."""
POLICY = "aws-customerprofiles-domain-configure-expiration"
TYPE = "aws:customerprofiles/domain:Domain"


def test_one_year_expiration_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_missing_expiration_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, {"defaultExpirationDays": fx.DELETE})), "is not set")


def test_expiration_above_the_teams_maximum_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE), config={"maximumDays": 180}), "is 365; the maximum is 180")

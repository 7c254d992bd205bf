"""aws-secretsmanager-secret-enable-rotation: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-secretsmanager-secret-enable-rotation"
TYPE_SECRET = "aws:secretsmanager/secret:Secret"
TYPE_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation"


def test_secret_rotating_every_30_days_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE_SECRET, name="signing"), make(TYPE_ROTATION, deps={"secretId": ["signing"]})) == []


def test_secret_without_rotation_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE_SECRET, name="signing")),
              'secret signing has no rotation')


def test_rotation_every_year_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE_SECRET, name="signing"), make(TYPE_ROTATION, {"rotationRules.automaticallyAfterDays": 365.0}, deps={"secretId": ["signing"]})),
              'rotates every 365 days; at most 90')


import pytest  # noqa: E402


def _rotation(make, rules):
    return make(TYPE_ROTATION, {"rotationRules": rules}, deps={"secretId": ["signing"]})


@pytest.mark.parametrize("expression", ["rate(365 days)", "cron(0 4 1 1 ? *)", "cron(0 4 1 */6 ? *)",
                                        "cron(0 4 ? 1,7 MON *)", "rate(2400 hours)"])
def test_yearly_schedule_expression_is_violation(run_rule, make, violation, expression):
    violation(run_rule(POLICY, make(TYPE_SECRET, name="signing"), _rotation(make, {"scheduleExpression": expression})),
              "at most 90")


@pytest.mark.parametrize("expression", ["rate(30 days)", "cron(0 4 ? * SUN *)", "cron(0 4 1 * ? *)", "rate(4 hours)"])
def test_frequent_schedule_expression_is_compliant(run_rule, make, expression):
    assert run_rule(POLICY, make(TYPE_SECRET, name="signing"),
                    _rotation(make, {"scheduleExpression": expression})) == []


def test_prod_tagged_secret_rotates_monthly_whatever_the_config(run_rule, make, violation):
    secret = make(TYPE_SECRET, {"tags": {"environment": "prod"}}, name="signing")
    violation(run_rule(POLICY, secret, _rotation(make, {"automaticallyAfterDays": 60.0}), config={"maximumDays": 90}),
              "rotates every 60 days; at most 30")


def test_dev_tagged_secret_follows_the_config(run_rule, make):
    secret = make(TYPE_SECRET, {"tags": {"environment": "dev"}}, name="signing")
    assert run_rule(POLICY, secret, _rotation(make, {"automaticallyAfterDays": 60.0}), config={"maximumDays": 90}) == []

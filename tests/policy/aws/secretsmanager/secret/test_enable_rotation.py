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

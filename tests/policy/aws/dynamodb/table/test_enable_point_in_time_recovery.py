"""aws-dynamodb-table-enable-point-in-time-recovery: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-dynamodb-table-enable-point-in-time-recovery"
TYPE = "aws:dynamodb/table:Table"


def test_pitr_enabled_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_missing_pitr_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"pointInTimeRecovery": fx.DELETE})),
              '`pointInTimeRecovery.enabled` is not true')


def test_pitr_disabled_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"pointInTimeRecovery.enabled": False})),
              '`pointInTimeRecovery.enabled` is not true')


def test_replica_without_pitr_is_violation(run_rule, make, violation, fx):
    replicas = [{"regionName": "eu-west-1", "kmsKeyArn": fx.KEY_ARN.replace("us-east-1", "eu-west-1")}]
    violation(run_rule(POLICY, make(TYPE, {"replicas": replicas})), "replica in 'eu-west-1' has `pointInTimeRecovery` off")


def test_prod_table_is_checked_despite_an_exemption(run_rule, make, violation):
    config = {"exemptions": [{"name": "prefs", "reason": "dev tables are disposable by design"}]}
    violation(run_rule(POLICY, make(TYPE, {"pointInTimeRecovery.enabled": False, "tags": {"environment": "prod"}},
                                    name="prefs"), config=config), "is not true")

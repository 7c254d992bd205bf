"""aws-dynamodb-table-enable-deletion-protection: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-dynamodb-table-enable-deletion-protection"
TYPE = "aws:dynamodb/table:Table"


def test_protected_table_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_unprotected_table_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"deletionProtectionEnabled": False})),
              '`deletionProtectionEnabled` is False')


def test_dev_exemption_does_not_reach_a_prod_tagged_table(run_rule, make, violation):
    # Given the dev policy config's exemption for preferences-* tables
    config = {"exemptions": [{"name": "preferences-*", "reason": "dev tables are deletable by design"}]}
    dev = make(TYPE, {"deletionProtectionEnabled": False, "tags": {"environment": "dev"}}, name="preferences-a")
    prod = make(TYPE, {"deletionProtectionEnabled": False, "tags": {"environment": "prod"}}, name="preferences-b")
    # Then the dev table is exempt and the prod table is not, whatever config is passed
    assert run_rule(POLICY, dev, config=config) == []
    violation(run_rule(POLICY, prod, config=config), "deletionProtectionEnabled")

"""aws-dynamodb-table-enable-deletion-protection: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-dynamodb-table-enable-deletion-protection"
TYPE = "aws:dynamodb/table:Table"


def test_protected_table_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_unprotected_table_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"deletionProtectionEnabled": False})),
              '`deletionProtectionEnabled` is False')

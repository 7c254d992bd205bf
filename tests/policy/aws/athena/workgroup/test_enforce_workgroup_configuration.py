"""aws-athena-workgroup-enforce-workgroup-configuration: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-athena-workgroup-enforce-workgroup-configuration"
TYPE = "aws:athena/workgroup:Workgroup"


def test_enforced_configuration_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_client_override_allowed_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"configuration.enforceWorkgroupConfiguration": False})),
              '`configuration.enforceWorkgroupConfiguration` is False')

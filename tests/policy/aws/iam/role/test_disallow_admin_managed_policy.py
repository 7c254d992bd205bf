"""aws-iam-role-disallow-admin-managed-policy: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-iam-role-disallow-admin-managed-policy"
TYPE = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"


def test_basic_execution_role_attachment_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_administrator_access_attachment_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})),
              'attaches the AWS-managed policy AdministratorAccess')


def test_iam_full_access_in_managed_policy_arns_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make("aws:iam/role:Role", {"managedPolicyArns": ["arn:aws:iam::aws:policy/IAMFullAccess"]})),
              'AWS-managed policy IAMFullAccess')

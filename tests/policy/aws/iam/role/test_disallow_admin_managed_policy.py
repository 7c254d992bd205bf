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


def test_exclusive_attachments_and_user_attachments_are_read(run_rule, make, violation):
    exclusive = make("aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive", props={
        "roleName": "worker", "policyArns": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                                             "arn:aws:iam::aws:policy/AdministratorAccess"]})
    violation(run_rule(POLICY, exclusive), "AWS-managed policy AdministratorAccess")
    user = make("aws:iam/userPolicyAttachment:UserPolicyAttachment",
                props={"user": "ci", "policyArn": "arn:aws:iam::aws:policy/PowerUserAccess"})
    violation(run_rule(POLICY, user), "AWS-managed policy PowerUserAccess")


def test_whole_service_managed_policies_are_violations_but_narrow_ones_are_not(run_rule, make, violation):
    for name in ("AmazonS3FullAccess", "AWSLambda_FullAccess", "AdministratorAccess-Amplify",
                 "SecretsManagerReadWrite"):
        violation(run_rule(POLICY, make(TYPE, {"policyArn": f"arn:aws:iam::aws:policy/{name}"})), name)
    for name in ("AmazonS3ReadOnlyAccess", "service-role/AWSLambdaBasicExecutionRole",
                 "AWSXrayWriteOnlyAccess", "service-role/AWSLambdaSQSQueueExecutionRole"):
        assert run_rule(POLICY, make(TYPE, {"policyArn": f"arn:aws:iam::aws:policy/{name}"})) == []
    customer = "arn:aws:iam::123456789012:policy/TeamFullAccess"
    assert run_rule(POLICY, make(TYPE, {"policyArn": customer})) == []

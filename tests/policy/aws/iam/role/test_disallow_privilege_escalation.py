"""aws-iam-role-disallow-privilege-escalation: escalation paths, also when split over several documents."""
POLICY = "aws-iam-role-disallow-privilege-escalation"
ROLE = "aws:iam/role:Role"
ALL_ROLES = "arn:aws:iam::123456789012:role/*"
ALL_FUNCTIONS = "arn:aws:lambda:us-east-1:123456789012:function:*"


def role_with(make, fx, *documents, attached=None):
    resources = [make(ROLE, name="worker")]
    for i, document in enumerate(documents):
        resources.append(make("aws:iam/rolePolicy:RolePolicy", {"role": "worker", "policy": document},
                              name=f"worker-inline-{i}", deps={"role": ["worker"]}))
    if attached:
        resources.append(make("aws:iam/policy:Policy", props={
            "name": "extra", "arn": "arn:aws:iam::123456789012:policy/extra", "policy": attached}, name="extra"))
        resources.append(make("aws:iam/rolePolicyAttachment:RolePolicyAttachment", {
            "role": "worker", "policyArn": "arn:aws:iam::123456789012:policy/extra"}, name="extra-attachment",
            deps={"role": ["worker"], "policyArn": ["extra"]}))
    return resources


def test_scoped_role_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, *role_with(make, fx, fx.BASELINES["aws:iam/rolePolicy:RolePolicy"]["policy"])) == []


def test_put_role_policy_on_every_role_of_the_account_is_violation(run_rule, make, fx, violation):
    document = fx.doc({"Effect": "Allow", "Action": "iam:PutRolePolicy", "Resource": ALL_ROLES})
    violation(run_rule(POLICY, *role_with(make, fx, document)), "PutRolePolicy")


def test_escalation_split_over_inline_and_attached_policy_is_violation(run_rule, make, fx, violation):
    passing = fx.doc({"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"})
    creating = fx.doc({"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"],
                       "Resource": ALL_FUNCTIONS})
    violation(run_rule(POLICY, *role_with(make, fx, passing, attached=creating)),
              "PassExistingRoleToNewLambdaThenInvoke")


def test_half_of_an_escalation_pair_is_compliant(run_rule, make, fx):
    creating = fx.doc({"Effect": "Allow", "Action": ["lambda:CreateFunction", "lambda:InvokeFunction"],
                       "Resource": ALL_FUNCTIONS})
    assert run_rule(POLICY, *role_with(make, fx, creating)) == []

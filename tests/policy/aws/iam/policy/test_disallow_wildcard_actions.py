"""aws-iam-policy-disallow-wildcard-actions: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-iam-policy-disallow-wildcard-actions"
TYPE = "aws:iam/rolePolicy:RolePolicy"


def test_scoped_actions_and_xray_star_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_action_star_on_star_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"policy": fx.doc({"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"})})),
              "'Admin' allows ['*'] on resource '*'")


def test_service_wildcard_in_role_inline_policy_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make("aws:iam/role:Role", {"inlinePolicies": [{"name": "p", "policy": fx.doc({"Sid": "S3", "Effect": "Allow", "Action": ["s3:*"], "Resource": "*"})}]})),
              "'S3' allows ['s3:*']")


def test_service_wildcard_on_own_bucket_is_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"policy": fx.doc({"Effect": "Allow", "Action": "s3:*", "Resource": fx.BUCKET_ARN})})) == []

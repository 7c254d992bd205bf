"""aws-iam-role-configure-external-id: another account assumes a role only with an external id or an org pin."""
import pytest

POLICY = "aws-iam-role-configure-external-id"
PARTNER = "210987654321"
ROLE = "aws:iam/role:Role"


def trust(fx, principal=f"arn:aws:iam::{PARTNER}:root", condition=None, action="sts:AssumeRole"):
    statement = {"Sid": "Partner", "Effect": "Allow", "Principal": {"AWS": principal}, "Action": action}
    return fx.doc({**statement, **({"Condition": condition} if condition else {})})


@pytest.mark.parametrize("case, principal, condition", [
    ("account-root", f"arn:aws:iam::{PARTNER}:root", None),
    ("bare-account-id", PARTNER, None),
    ("one-partner-role", f"arn:aws:iam::{PARTNER}:role/vendor-collector", None),
    ("external-id-if-exists", f"arn:aws:iam::{PARTNER}:root", {"StringEqualsIfExists": {"sts:ExternalId": "x1"}}),
    ("external-id-wildcard", f"arn:aws:iam::{PARTNER}:root", {"StringLike": {"sts:ExternalId": "*"}}),
    ("external-id-negated", f"arn:aws:iam::{PARTNER}:root", {"StringNotEquals": {"sts:ExternalId": "x1"}}),
    ("mfa-only", f"arn:aws:iam::{PARTNER}:root", {"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
])
def test_partner_trust_without_external_id_is_violation(run_rule, make, fx, violation, case, principal, condition):
    role = make(ROLE, {"assumeRolePolicy": trust(fx, principal, condition)})
    violation(run_rule(POLICY, role), f"lets account(s) ['{PARTNER}'] assume the role without an sts:ExternalId")


@pytest.mark.parametrize("condition", [
    {"StringEquals": {"sts:ExternalId": "7f3c2a9e-partner"}},
    {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}},
])
def test_external_id_or_organisation_pin_is_compliant(run_rule, make, fx, condition):
    assert run_rule(POLICY, make(ROLE, {"assumeRolePolicy": trust(fx, condition=condition)})) == []


def test_own_account_service_and_trusted_account_trusts_are_compliant(run_rule, make, fx):
    assert run_rule(POLICY, make(ROLE)) == []  # a service trust
    own = make(ROLE, {"assumeRolePolicy": trust(fx, f"arn:aws:iam::{fx.ACCOUNT}:root")})
    assert run_rule(POLICY, own) == []
    assert run_rule(POLICY, make(ROLE, {"assumeRolePolicy": trust(fx)}), config={"trustedAccounts": [PARTNER]}) == []


def test_a_deny_statement_is_not_a_trust(run_rule, make, fx):
    deny = fx.doc({"Effect": "Deny", "Principal": {"AWS": f"arn:aws:iam::{PARTNER}:root"}, "Action": "sts:AssumeRole"})
    assert run_rule(POLICY, make(ROLE, {"assumeRolePolicy": deny})) == []

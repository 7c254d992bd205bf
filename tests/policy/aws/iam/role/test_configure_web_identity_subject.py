"""aws-iam-role-configure-web-identity-subject: OIDC trust pinned to one repository (subject), not just the audience."""
import pytest

POLICY = "aws-iam-role-configure-web-identity-subject"
TYPE = "aws:iam/role:Role"
GITHUB = "token.actions.githubusercontent.com"
PROVIDER = f"arn:aws:iam::123456789012:oidc-provider/{GITHUB}"
AUD = {f"{GITHUB}:aud": "sts.amazonaws.com"}


def trust(condition):
    return {"Sid": "GitHub", "Effect": "Allow", "Principal": {"Federated": PROVIDER},
            "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition}


EVASIONS = {
    "audience-only": {"StringEquals": AUD},
    "any-repository": {"StringEquals": AUD, "StringLike": {f"{GITHUB}:sub": "repo:*"}},
    "any-owner": {"StringEquals": AUD, "StringLike": {f"{GITHUB}:sub": "repo:*/engagement:*"}},
    "bare-wildcard": {"StringEquals": AUD, "StringLike": {f"{GITHUB}:sub": "*"}},
    "subject-if-exists": {"StringEquals": AUD,
                          "StringLikeIfExists": {f"{GITHUB}:sub": "repo:octo-org/engagement:*"}},
    "for-all-values-subject": {"StringEquals": AUD,
                               "ForAllValues:StringLike": {f"{GITHUB}:sub": ["repo:octo-org/engagement:*"]}},
    "negated-subject": {"StringEquals": AUD, "StringNotLike": {f"{GITHUB}:sub": "repo:evil/*"}},
}


def test_service_trust_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


@pytest.mark.parametrize("subject", ["repo:octo-org/engagement:environment:prod", "repo:octo-org/engagement:*"])
def test_trust_pinned_to_one_repository_is_compliant(run_rule, make, fx, subject):
    statement = trust({"StringEquals": AUD, "StringLike": {f"{GITHUB}:sub": subject}})
    assert run_rule(POLICY, make(TYPE, {"assumeRolePolicy": fx.doc(statement)})) == []


@pytest.mark.parametrize("case, condition", EVASIONS.items())
def test_trust_open_to_other_repositories_is_violation(run_rule, make, fx, violation, case, condition):
    violation(run_rule(POLICY, make(TYPE, {"assumeRolePolicy": fx.doc(trust(condition))})), GITHUB)


def test_cognito_trust_without_audience_is_violation(run_rule, make, fx, violation):
    statement = {"Effect": "Allow", "Principal": {"Federated": "cognito-identity.amazonaws.com"},
                 "Action": "sts:AssumeRoleWithWebIdentity",
                 "Condition": {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}}
    violation(run_rule(POLICY, make(TYPE, {"assumeRolePolicy": fx.doc(statement)})),
              "cognito-identity.amazonaws.com:aud")

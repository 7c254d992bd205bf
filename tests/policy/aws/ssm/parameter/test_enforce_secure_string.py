"""aws-ssm-parameter-enforce-secure-string: credentials in Parameter Store are encrypted."""
import pytest

POLICY = "aws-ssm-parameter-enforce-secure-string"
TYPE = "aws:ssm/parameter:Parameter"


def parameter(name, value="Orders-2026-Winter!", kind="String"):
    return {"name": name, "type": kind, "value": value}


@pytest.mark.parametrize("name", ["/corpus/prod/db-password", "/app/stripe_api_key", "/app/github-token",
                                  "/app/oauth/client-secret", "DB_PASSWORD"])
def test_credential_named_plain_parameter_is_violation(run_rule, make, violation, name):
    violation(run_rule(POLICY, make(TYPE, props=parameter(name))), "credential-like name")


def test_known_credential_format_under_an_innocent_name_is_violation(run_rule, make, violation):
    value = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    violation(run_rule(POLICY, make(TYPE, props=parameter("/app/ci/setting", value))), "expected SecureString")


@pytest.mark.parametrize("props", [parameter("/corpus/prod/db-password", kind="SecureString"),
                                   parameter("/app/db-password-arn", "arn:aws:secretsmanager:us-east-1:1:secret:x"),
                                   parameter("/app/table-name", "orders"),
                                   parameter("/app/token-ttl", "3600")])
def test_secure_or_non_secret_parameters_are_compliant(run_rule, make, props):
    assert run_rule(POLICY, make(TYPE, props=props)) == []

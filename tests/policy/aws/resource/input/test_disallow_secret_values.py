"""aws-resource-input-disallow-secret-values: credentials by value in any resource's inputs, not only by name.

The key strings below are the providers' documented example formats or random, never real credentials."""
import pytest

POLICY = "aws-resource-input-disallow-secret-values"
FN = "aws:lambda/function:Function"
GLUE = "aws:glue/connection:Connection"

LEAKS = {
    "stripe-key-under-an-innocent-name": (FN, {"environment.variables.PARTNER_CONFIG": "sk_live_4eC39HqLyjWDarjtT1zdp7dc"}),
    "aws-access-key-in-a-tag": (FN, {"tags": {"deployer": "AKIAIOSFODNN7EXAMPLE"}}),
    "credentials-in-a-url": (FN, {"environment.variables.DATABASE_URL": "postgres://app:Tr0ub4dor3@db.internal:5432/app"}),
    "password-by-name": (FN, {"environment.variables.SMTP_PASSWORD": "correct-horse-battery"}),
    "glue-connection-password": (GLUE, {"connectionProperties.PASSWORD": "hunter2-but-longer"}),
    "github-token-in-json-parameter": ("aws:sfn/stateMachine:StateMachine", {
        "definition": '{"States": {"Call": {"Parameters": {"Headers": {"Authorization": '
                      '"token ghp_1234567890abcdefghijklmnopqrstuvwxyzAB"}}}}}'}),
    "high-entropy-env-value": (FN, {"environment.variables.PARTNER": "q8Vf3ZrT1xYw9LmN2bKc7HdJ4sPa6Ge0"}),
    "private-key-in-description": ("aws:iam/role:Role", {"description": "-----BEGIN RSA PRIVATE KEY-----\nMIIEow"}),
}
REFERENCES = {
    "secret-arn": {"environment.variables.SIGNING_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:x-Ab12Cd"},
    "dynamic-reference": {"environment.variables.DB_PASSWORD": "{{resolve:secretsmanager:db:SecretString:password}}"},
    "parameter-path": {"environment.variables.API_TOKEN": "/engagement/prod/api-token"},
    "url-without-credentials": {"environment.variables.ENDPOINT": "https://api.example.com/v1?region=eu"},
    "password-policy-flag": {"environment.variables.PASSWORD_MIN_LENGTH": "14"},
}


def test_baseline_function_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(FN)) == []


@pytest.mark.parametrize("case, spec", LEAKS.items())
def test_secret_by_value_is_violation(run_rule, make, violation, case, spec):
    resource_type, changes = spec
    base = {} if resource_type in (GLUE,) else None
    resource = make(resource_type, changes, props=base) if base is not None else make(resource_type, changes)
    violation(run_rule(POLICY, resource), "holds")


@pytest.mark.parametrize("case, changes", REFERENCES.items())
def test_reference_to_a_secret_is_compliant(run_rule, make, case, changes):
    assert run_rule(POLICY, make(FN, changes)) == []


def test_secret_version_carries_its_secret_by_design(run_rule, make):
    version = make("aws:secretsmanager/secretVersion:SecretVersion", props={
        "secretId": "arn:aws:secretsmanager:us-east-1:123456789012:secret:x", "secretString": "sk_live_4eC39HqLyjWDarjtT1zdp7dc"})
    assert run_rule(POLICY, version) == []


def test_exemption_by_resource_name_with_reason(run_rule, make):
    config = {"exemptions": [{"name": "fn", "reason": "test vector of the payment provider's sandbox, not a credential"}]}
    assert run_rule(POLICY, make(FN, {"environment.variables.X": "sk_live_4eC39HqLyjWDarjtT1zdp7dc"}, name="fn"), config=config) == []


def test_values_unknown_during_preview_are_skipped_not_reported(run_rule, make):
    # A value the provider computes (unknown in a first preview) is never a literal of the program: the rule
    # scans what is known, still finds the literal secret beside it, and reports nothing as "not checked".
    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # pulumi_policy.proxy.UNKNOWN_STRING_VALUE
    resource = make(FN, {"environment.variables.QUEUE_URL": unknown, "role": unknown,
                         "environment.variables.SMTP_PASSWORD": "correct-horse-battery"})
    findings = run_rule(POLICY, resource)
    assert len(findings) == 1 and "SMTP_PASSWORD" in findings[0].message and "preview" not in findings[0].message
    assert run_rule(POLICY, make(FN, {"environment.variables.QUEUE_URL": unknown})) == []

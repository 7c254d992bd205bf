"""aws-lambda-function-enforce-allowed-runtime: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-function-enforce-allowed-runtime"
TYPE = "aws:lambda/function:Function"


def test_python313_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_python39_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"runtime": "python3.9"})),
              "runtime 'python3.9' is not in the allowed list")


def test_python312_is_violation_when_prod_allows_only_313(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"runtime": "python3.12"}), config={'allowedRuntimes': ['python3.13']}),
              "runtime 'python3.12'")


def test_container_image_is_not_in_scope(run_rule, make, fx):
    assert run_rule(POLICY, make(TYPE, {"runtime": fx.DELETE, "packageType": "Image"})) == []

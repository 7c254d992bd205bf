"""aws-lambda-function-enable-arm64: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-function-enable-arm64"
TYPE = "aws:lambda/function:Function"


def test_arm64_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_x86_64_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"architectures": ["x86_64"]})),
              "`architectures` is ['x86_64']")


def test_default_architecture_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"architectures": fx.DELETE})),
              "`architectures` is ['x86_64']")

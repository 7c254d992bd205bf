"""aws-lambda-function-configure-memory-size: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-lambda-function-configure-memory-size"
TYPE = "aws:lambda/function:Function"


def test_256_mb_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_default_memory_is_violation(run_rule, make, fx, violation):
    violation(run_rule(POLICY, make(TYPE, {"memorySize": fx.DELETE})),
              '`memorySize` is not set')


def test_memory_above_maximum_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"memorySize": 10240.0})),
              '`memorySize` is 10240 MB; expected between 256 and 3008 MB')

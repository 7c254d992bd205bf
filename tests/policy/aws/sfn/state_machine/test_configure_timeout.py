"""aws-sfn-state-machine-configure-timeout: the compliant baseline, then one changed field per case."""
import json

POLICY = "aws-sfn-state-machine-configure-timeout"
TYPE = "aws:sfn/stateMachine:StateMachine"


def _definition(fx, change):
    definition = json.loads(fx.STATE_MACHINE_DEFINITION)
    change(definition)
    return {"definition": json.dumps(definition)}


def test_bounded_machine_and_tasks_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_missing_machine_timeout_is_violation(run_rule, make, violation, fx):
    props = _definition(fx, lambda d: d.pop("TimeoutSeconds"))
    violation(run_rule(POLICY, make(TYPE, props)), "no top-level `TimeoutSeconds`")


def test_machine_timeout_above_maximum_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE), config={"maximumSeconds": 3600}), "`TimeoutSeconds` is 21600")


def test_task_without_timeout_is_violation(run_rule, make, violation, fx):
    props = _definition(fx, lambda d: d["States"]["Score"].pop("TimeoutSeconds"))
    violation(run_rule(POLICY, make(TYPE, props)), "task 'Score' has no `TimeoutSeconds`")

"""aws-sfn-state-machine-enable-task-retry: the compliant baseline, then one changed field per case."""
import json

POLICY = "aws-sfn-state-machine-enable-task-retry"
TYPE = "aws:sfn/stateMachine:StateMachine"


def test_tasks_with_retries_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_task_without_retry_is_violation(run_rule, make, violation, fx):
    definition = json.loads(fx.STATE_MACHINE_DEFINITION)
    del definition["States"]["Train"]["Retry"]
    violation(run_rule(POLICY, make(TYPE, {"definition": json.dumps(definition)})), "task 'Train' has no Retry")


def test_retry_with_zero_attempts_is_violation(run_rule, make, violation, fx):
    definition = json.loads(fx.STATE_MACHINE_DEFINITION)
    definition["States"]["Score"]["Retry"] = [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}]
    violation(run_rule(POLICY, make(TYPE, {"definition": json.dumps(definition)})), "task 'Score'")

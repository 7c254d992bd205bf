"""aws-sagemaker-training-job-configure-stopping-condition: both forms, one changed field per case."""
import json

POLICY = "aws-sagemaker-training-job-configure-stopping-condition"
JOB, MACHINE = "aws:sagemaker/trainingJob:TrainingJob", "aws:sfn/stateMachine:StateMachine"


def test_one_hour_limit_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(JOB), make(MACHINE)) == []


def test_resource_without_limit_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(JOB, {"stoppingCondition": fx.DELETE})), "has no `StoppingCondition")


def test_task_above_the_maximum_is_violation(run_rule, make, violation, fx):
    definition = json.loads(fx.STATE_MACHINE_DEFINITION)
    definition["States"]["Train"]["Parameters"]["StoppingCondition"]["MaxRuntimeInSeconds"] = 432000
    violation(run_rule(POLICY, make(MACHINE, {"definition": json.dumps(definition)})),
              "task 'Train' may run 432000 s; the maximum is 86400")

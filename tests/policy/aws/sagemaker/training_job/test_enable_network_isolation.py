"""aws-sagemaker-training-job-enable-network-isolation: resource and state-machine forms, one change per case."""
import json

POLICY = "aws-sagemaker-training-job-enable-network-isolation"
JOB, MACHINE = "aws:sagemaker/trainingJob:TrainingJob", "aws:sfn/stateMachine:StateMachine"


def test_isolated_training_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(JOB), make(MACHINE)) == []


def test_resource_with_network_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(JOB, {"enableNetworkIsolation": False})), "the training job does not set")


def test_task_without_isolation_is_violation(run_rule, make, violation, fx):
    definition = json.loads(fx.STATE_MACHINE_DEFINITION)
    del definition["States"]["Train"]["Parameters"]["EnableNetworkIsolation"]
    violation(run_rule(POLICY, make(MACHINE, {"definition": json.dumps(definition)})),
              "task 'Train' does not set `EnableNetworkIsolation`")

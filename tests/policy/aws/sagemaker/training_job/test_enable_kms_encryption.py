"""aws-sagemaker-training-job-enable-kms-encryption: resource and state-machine forms, one change per case."""
import json

POLICY = "aws-sagemaker-training-job-enable-kms-encryption"
JOB, MACHINE = "aws:sagemaker/trainingJob:TrainingJob", "aws:sfn/stateMachine:StateMachine"


def test_encrypted_training_job_resource_and_task_are_compliant(run_rule, make):
    assert run_rule(POLICY, make(JOB), make(MACHINE)) == []


def test_resource_without_output_key_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(JOB, {"outputDataConfig.kmsKeyId": fx.DELETE})),
              "the training job has no `OutputDataConfig.KmsKeyId`")


def test_task_without_volume_key_is_violation(run_rule, make, violation, fx):
    definition = json.loads(fx.STATE_MACHINE_DEFINITION)
    del definition["States"]["Train"]["Parameters"]["ResourceConfig"]["VolumeKmsKeyId"]
    violation(run_rule(POLICY, make(MACHINE, {"definition": json.dumps(definition)})),
              "task 'Train' has no `ResourceConfig.VolumeKmsKeyId`")

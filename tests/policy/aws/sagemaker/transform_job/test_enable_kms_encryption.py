"""aws-sagemaker-transform-job-enable-kms-encryption: a compliant definition, then one changed field per case."""
import json

POLICY = "aws-sagemaker-transform-job-enable-kms-encryption"
TYPE = "aws:sfn/stateMachine:StateMachine"


def _without(fx, section, key):
    definition = json.loads(fx.STATE_MACHINE_DEFINITION)
    del definition["States"]["Score"]["Parameters"][section][key]
    return {"definition": json.dumps(definition)}


def test_encrypted_transform_job_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_unencrypted_output_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, _without(fx, "TransformOutput", "KmsKeyId"))),
              "task 'Score' starts a transform job without `TransformOutput.KmsKeyId`")


def test_unencrypted_volume_is_violation(run_rule, make, violation, fx):
    violation(run_rule(POLICY, make(TYPE, _without(fx, "TransformResources", "VolumeKmsKeyId"))),
              "`TransformResources.VolumeKmsKeyId`")


def test_key_from_a_path_counts_as_set(run_rule, make, fx):
    definition = json.loads(fx.STATE_MACHINE_DEFINITION)
    output = definition["States"]["Score"]["Parameters"]["TransformOutput"]
    output["KmsKeyId.$"] = output.pop("KmsKeyId") and "$.plan.key"
    assert run_rule(POLICY, make(TYPE, {"definition": json.dumps(definition)})) == []

"""SageMaker batch transform jobs encrypt their output and their instance volumes with a customer key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy
from rules.aws.sfn._definitions import STATE_MACHINE, calls, parameter

META = RuleMeta(
    id="SAGEMAKER-004", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Batch transform jobs set `TransformOutput.KmsKeyId` and `TransformResources.VolumeKmsKeyId`. "
                "pulumi-aws has no transform job resource: the jobs are started by state machines, so the rule "
                "reads every `sagemaker:createTransformJob` task of a Step Functions definition.",
    remediation="Add 'TransformOutput': {'KmsKeyId': key.arn, ...} and 'TransformResources': "
                "{'VolumeKmsKeyId': key.arn, ...} to the CreateTransformJob parameters.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateTransformJob.html")


def check(props, _config):
    for name, parameters in calls(props, "sagemaker:createTransformJob"):
        for path in ("TransformOutput.KmsKeyId", "TransformResources.VolumeKmsKeyId"):
            if not parameter(parameters, path):
                yield f"task {name!r} starts a transform job without `{path}`."


POLICY = resource_policy(__name__, META, [STATE_MACHINE], check)

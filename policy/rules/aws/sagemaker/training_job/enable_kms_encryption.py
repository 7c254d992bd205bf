"""SageMaker training jobs encrypt the model artifacts and the instance volumes with a customer key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy
from rules.aws.sagemaker.training_job._settings import TYPES, jobs

META = RuleMeta(
    id="SAGEMAKER-005", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="SageMaker training jobs (aws.sagemaker.TrainingJob, and `sagemaker:createTrainingJob` tasks of "
                "state machines) set `OutputDataConfig.KmsKeyId` and `ResourceConfig.VolumeKmsKeyId`, so models "
                "trained on customer data and the training volumes are encrypted with a customer-managed key.",
    remediation="Set OutputDataConfig.KmsKeyId and ResourceConfig.VolumeKmsKeyId to the stack key's ARN.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html")


def check(props, _config, resource_type):
    for label, get in jobs(props, resource_type):
        for path in ("OutputDataConfig.KmsKeyId", "ResourceConfig.VolumeKmsKeyId"):
            if not get(path):
                yield f"{label} has no `{path}`."


POLICY = resource_policy(__name__, META, TYPES, check)

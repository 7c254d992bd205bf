"""SageMaker endpoint configurations encrypt the ML storage volume with a KMS key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="SAGEMAKER-002", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="SageMaker endpoint configurations set `kmsKeyArn`, so the storage volumes of the hosting "
                "instances (and async inference output) are encrypted with a customer-managed key.",
    remediation="Set kms_key_arn=key.arn on the aws.sagemaker.EndpointConfiguration.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/sagemaker/latest/dg/encryption-at-rest.html")


def check(props, _config):
    if not props.get("kmsKeyArn"):
        yield "`kmsKeyArn` is not set."


POLICY = resource_policy(__name__, META, ["aws:sagemaker/endpointConfiguration:EndpointConfiguration"], check)

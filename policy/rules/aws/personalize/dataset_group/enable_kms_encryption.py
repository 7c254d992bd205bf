"""Personalize dataset groups encrypt their datasets with a customer-managed key (pulumi-aws-native type)."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="PERSONALIZE-001", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Amazon Personalize dataset groups set `kmsKeyArn` (and the `roleArn` Personalize uses the key "
                "with), so interactions, items and users are encrypted with a customer-managed key.",
    remediation="Pass kms_key_arn=key.arn and role_arn=<a role personalize.amazonaws.com assumes, allowed "
                "kms:Decrypt/GenerateDataKey on the key> to pulumi_aws_native.personalize.DatasetGroup; both are "
                "create-only, so set them before the first deploy.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/personalize/latest/dg/encryption-at-rest.html")


def check(props, _config):
    if not get_path(props, "kmsKeyArn"):
        yield "`kmsKeyArn` is not set; the datasets are encrypted with an AWS-owned key."
    elif not get_path(props, "roleArn"):
        yield "`roleArn` is not set; Personalize cannot use the customer-managed key without a role."


POLICY = resource_policy(__name__, META, ["aws-native:personalize:DatasetGroup"], check)

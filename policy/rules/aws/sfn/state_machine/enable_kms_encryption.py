"""Step Functions state machines encrypt execution data with a customer-managed key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="SFN-003", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="Step Functions state machines encrypt definitions and execution data with a customer-managed "
                "KMS key (`encryptionConfiguration` type CUSTOMER_MANAGED_KMS_KEY with `kmsKeyId`).",
    remediation="Set encryption_configuration={'type': 'CUSTOMER_MANAGED_KMS_KEY', 'kms_key_id': key.arn, "
                "'kms_data_key_reuse_period_seconds': 300}.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/step-functions/latest/dg/encryption-at-rest.html")


def check(props, _config):
    if get_path(props, "encryptionConfiguration.type") != "CUSTOMER_MANAGED_KMS_KEY" or \
            not get_path(props, "encryptionConfiguration.kmsKeyId"):
        yield "`encryptionConfiguration` is not CUSTOMER_MANAGED_KMS_KEY with a `kmsKeyId`."


POLICY = resource_policy(__name__, META, ["aws:sfn/stateMachine:StateMachine"], check)

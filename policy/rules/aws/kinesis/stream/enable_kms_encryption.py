"""Kinesis data streams encrypt records with a customer-managed key."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, resource_policy

META = RuleMeta(
    id="KINESIS-001", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Kinesis data streams use `encryptionType` KMS with a customer-managed key (`kmsKeyId` not the "
                "AWS-managed alias/aws/kinesis).",
    remediation="Set encryption_type='KMS' and kms_key_id to the stack's key ARN.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html")


def check(props, _config):
    key = props.get("kmsKeyId") or ""
    if props.get("encryptionType") != "KMS":
        yield f"`encryptionType` is {props.get('encryptionType')!r}; expected 'KMS'."
    elif not key or key == "alias/aws/kinesis":
        yield "`kmsKeyId` is not a customer-managed key."


POLICY = resource_policy(__name__, META, ["aws:kinesis/stream:Stream"], check)

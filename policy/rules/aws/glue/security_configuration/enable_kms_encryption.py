"""Glue security configurations encrypt job output, logs and bookmarks with KMS."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

EXPECTED = (("s3Encryption.s3EncryptionMode", "SSE-KMS"),
            ("cloudwatchEncryption.cloudwatchEncryptionMode", "SSE-KMS"),
            ("jobBookmarksEncryption.jobBookmarksEncryptionMode", "CSE-KMS"))
META = RuleMeta(
    id="GLUE-002", pillar=Pillar.SECURITY, severity=Severity.MEDIUM,
    description="Glue security configurations encrypt S3 output (SSE-KMS), CloudWatch logs (SSE-KMS) and job "
                "bookmarks (CSE-KMS), each with a KMS key.",
    remediation="Set encryption_configuration with s3_encryption, cloudwatch_encryption and "
                "job_bookmarks_encryption in the modes above, each with kms_key_arn.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html")


def check(props, _config):
    encryption = props.get("encryptionConfiguration") or {}
    for path, mode in EXPECTED:
        actual = get_path(encryption, path)
        if actual != mode:
            yield f"`encryptionConfiguration.{path}` is {actual!r}; expected {mode!r}."


POLICY = resource_policy(__name__, META, ["aws:glue/securityConfiguration:SecurityConfiguration"], check)

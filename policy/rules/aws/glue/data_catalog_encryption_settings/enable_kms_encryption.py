"""The Glue Data Catalog encrypts metadata and connection passwords with KMS."""
from pulumi_policy import EnforcementLevel, Severity

from rules._framework import Pillar, RuleMeta, get_path, resource_policy

META = RuleMeta(
    id="GLUE-001", pillar=Pillar.SECURITY, severity=Severity.HIGH,
    description="Glue Data Catalog encryption settings encrypt catalog metadata at rest with SSE-KMS and a key, "
                "and return connection passwords encrypted.",
    remediation="Set data_catalog_encryption_settings.encryption_at_rest={'catalog_encryption_mode': 'SSE-KMS', "
                "'sse_aws_kms_key_id': key.arn} and connection_password_encryption "
                "return_connection_password_encrypted=True with the key.",
    default_level=EnforcementLevel.ADVISORY, wa_reference="SEC08-BP02",
    url="https://docs.aws.amazon.com/glue/latest/dg/encrypt-glue-data-catalog.html")


def check(props, _config):
    settings = props.get("dataCatalogEncryptionSettings") or {}
    if get_path(settings, "encryptionAtRest.catalogEncryptionMode") != "SSE-KMS" or \
            not get_path(settings, "encryptionAtRest.sseAwsKmsKeyId"):
        yield "`encryptionAtRest` is not SSE-KMS with a key."
    if get_path(settings, "connectionPasswordEncryption.returnConnectionPasswordEncrypted") is not True:
        yield "`connectionPasswordEncryption.returnConnectionPasswordEncrypted` is not true."


POLICY = resource_policy(__name__, META,
                         ["aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings"], check)

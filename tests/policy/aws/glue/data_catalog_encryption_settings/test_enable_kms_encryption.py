"""aws-glue-data-catalog-encryption-settings-enable-kms-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-glue-data-catalog-encryption-settings-enable-kms-encryption"
TYPE = "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings"


def test_sse_kms_catalog_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_disabled_catalog_encryption_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"dataCatalogEncryptionSettings.encryptionAtRest.catalogEncryptionMode": "DISABLED"})),
              '`encryptionAtRest` is not SSE-KMS')


def test_plain_connection_passwords_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"dataCatalogEncryptionSettings.connectionPasswordEncryption.returnConnectionPasswordEncrypted": False})),
              'returnConnectionPasswordEncrypted` is not true')

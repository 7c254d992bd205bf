"""aws-glue-security-configuration-enable-kms-encryption: the compliant baseline, then one changed field per case (via the real servicer)."""
POLICY = "aws-glue-security-configuration-enable-kms-encryption"
TYPE = "aws:glue/securityConfiguration:SecurityConfiguration"


def test_kms_everywhere_is_compliant(run_rule, make):
    assert run_rule(POLICY, make(TYPE)) == []


def test_disabled_bookmark_encryption_is_violation(run_rule, make, violation):
    violation(run_rule(POLICY, make(TYPE, {"encryptionConfiguration.jobBookmarksEncryption.jobBookmarksEncryptionMode": "DISABLED"})),
              "jobBookmarksEncryptionMode` is 'DISABLED'")

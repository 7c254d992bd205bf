"""EXPECTED: aws-dynamodb-table-enable-deletion-protection. CLASS: 4. CONFIG: dev. A prod table checked with the
dev policy config, whose exemption for preferences-* tables must not reach a table tagged environment=prod."""
import baseline as b

kms = b.key()
b.table("preferences-orders", kms, deletion_protection_enabled=False)

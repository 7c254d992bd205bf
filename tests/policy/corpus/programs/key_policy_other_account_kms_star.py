"""EXPECTED: aws-iam-resource-policy-disallow-cross-account-broad-access. CLASS: 3. The analytics account should
decrypt exports; the key policy hands it kms:* (including PutKeyPolicy)."""
import baseline as b

b.key(policy=b.key_policy({"Sid": "Analytics", "Effect": "Allow", "Principal": {"AWS": "210987654321"},
                           "Action": "kms:*", "Resource": "*"}))

"""EXPECTED: aws-iam-policy-disallow-wildcard-actions. CLASS: 2. "Everything but IAM" written as NotAction: the
worker may use every other service on every resource."""
import baseline as b

kms = b.key()
b.function("worker", kms, statements=[{"Sid": "NotIam", "Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}])

"""EXPECTED: aws-iam-role-disallow-admin-managed-policy. CLASS: 2. The worker "just needs S3", so it gets the
AWS-managed AmazonS3FullAccess: s3:* on every bucket of every account, which IAM-001 refuses when written inline."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
b.function("worker", kms)
aws.iam.RolePolicyAttachment("worker-s3", role="lambda-worker-role",
                             policy_arn="arn:aws:iam::aws:policy/AmazonS3FullAccess")

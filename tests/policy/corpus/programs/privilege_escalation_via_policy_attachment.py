"""EXPECTED: aws-iam-role-disallow-privilege-escalation. CLASS: 2. The role-admin policy reaches the worker through
the older `aws.iam.PolicyAttachment` (a `roles` list), which the role's document gathering did not read, so the
worker's power to write inline policies on any role of the account went unseen."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
worker = b.function("worker", kms)
extra = aws.iam.Policy("role-admin", name="role-admin", tags=b.TAGS, policy=b.doc({
    "Sid": "ManageRoles", "Effect": "Allow", "Action": ["iam:PutRolePolicy"],
    "Resource": f"arn:aws:iam::{b.ACCOUNT}:role/*"}))
aws.iam.PolicyAttachment("worker-role-admin", roles=["lambda-worker-role"], policy_arn=extra.arn)

"""EXPECTED: aws-iam-role-disallow-privilege-escalation. CLASS: 2. A second, customer-managed policy attached to the
worker's role lets it write inline policies on any role of the account, its own included."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
worker = b.function("worker", kms)
extra = aws.iam.Policy("role-admin", name="role-admin", tags=b.TAGS, policy=b.doc({
    "Sid": "ManageRoles", "Effect": "Allow", "Action": ["iam:PutRolePolicy"],
    "Resource": f"arn:aws:iam::{b.ACCOUNT}:role/*"}))
aws.iam.RolePolicyAttachment("worker-role-admin", role="lambda-worker-role", policy_arn=extra.arn)

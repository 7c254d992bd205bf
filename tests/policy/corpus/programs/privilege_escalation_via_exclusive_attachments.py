"""EXPECTED: aws-iam-role-disallow-privilege-escalation. CLASS: 2. The worker's managed policies are pinned with
RolePolicyAttachmentsExclusive (`roleName`, `policyArns`), and one of them lets it create a new default version
of any customer-managed policy of the account, its own included."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
worker = b.function("worker", kms)
extra = aws.iam.Policy("policy-admin", name="policy-admin", tags=b.TAGS, policy=b.doc({
    "Sid": "ManagePolicies", "Effect": "Allow", "Action": ["iam:CreatePolicyVersion"],
    "Resource": f"arn:aws:iam::{b.ACCOUNT}:policy/*"}))
aws.iam.RolePolicyAttachmentsExclusive("worker-managed-policies", role_name="lambda-worker-role",
                                       policy_arns=[extra.arn])

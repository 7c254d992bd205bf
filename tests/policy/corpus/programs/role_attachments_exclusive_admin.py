"""EXPECTED: aws-iam-role-disallow-admin-managed-policy. CLASS: 2. "Pin the worker's managed policies so nobody adds
one by hand" with RolePolicyAttachmentsExclusive, and AdministratorAccess left in the list from debugging: the
list is `policyArns`, which a rule reading only `policyArn` and `managedPolicyArns` never saw."""
import pulumi_aws as aws

import baseline as b

kms = b.key()
b.function("worker", kms)
aws.iam.RolePolicyAttachmentsExclusive("worker-managed-policies", role_name="lambda-worker-role", policy_arns=[
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess"])

"""EXPECTED: aws-iam-role-disallow-public-trust. CLASS: 1. A cross-account role "for our organisation" using
ForAllValues, which is true when the caller has no organisation at all."""
import pulumi_aws as aws

import baseline as b

aws.iam.Role("auditor", name="auditor", tags=b.TAGS, assume_role_policy=b.doc({
    "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole",
    "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}}}))

"""EXPECTED: aws-kms-key-disallow-public-principal. CLASS: 1. A "deployer role" condition whose ARN has a wildcard
account: a role named deployer in any AWS account may decrypt."""
import baseline as b

b.key(policy=b.key_policy({"Sid": "Deployers", "Effect": "Allow", "Principal": "*",
                           "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*",
                           "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/deployer"}}}))

"""EXPECTED: aws-iam-policy-disallow-passrole-wildcard. CLASS: 2. iam:Pass* instead of iam:PassRole, on every role
of the account."""
import baseline as b

kms = b.key()
b.function("launcher", kms, statements=[{"Sid": "Launch", "Effect": "Allow", "Action": "iam:Pass*",
                                         "Resource": f"arn:aws:iam::{b.ACCOUNT}:role/*"}])

"""EXPECTED: aws-iam-policy-disallow-unscoped-sensitive-actions. CLASS: 2. The worker may assume any role of any
account that trusts it: the role ARN pattern is in the `iam` namespace while the action is `sts:`, so a model that
matched ARN service to action prefix took the statement for an IAM-only grant and saw nothing."""
import baseline as b

kms = b.key()
b.function("worker", kms, statements=[{"Sid": "Hop", "Effect": "Allow", "Action": "sts:AssumeRole",
                                       "Resource": "arn:aws:iam::*:role/*"}])

"""EXPECTED: aws-iam-policy-disallow-unscoped-sensitive-actions. CLASS: 2. The dispatcher may invoke every
function of every account: a named action, so literal wildcard matching never saw it."""
import baseline as b

kms = b.key()
b.function("dispatcher", kms, statements=[{"Sid": "Fanout", "Effect": "Allow", "Action": "lambda:InvokeFunction",
                                           "Resource": "*"}])

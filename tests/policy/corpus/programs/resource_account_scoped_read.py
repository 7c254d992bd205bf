"""EXPECTED: none. Not a flaw: the worker reads objects of any bucket *of its own account*, written as Resource `*`
with an aws:ResourceAccount condition (the form AWS recommends for data perimeters). It is as narrow as an ARN
naming the account, so the pack must not report it as a grant on every resource."""
import baseline as b

kms = b.key()
b.function("worker", kms, statements=[{"Sid": "OwnBuckets", "Effect": "Allow", "Action": "s3:GetObject",
                                       "Resource": "*",
                                       "Condition": {"StringEquals": {"aws:ResourceAccount": b.ACCOUNT}}}])

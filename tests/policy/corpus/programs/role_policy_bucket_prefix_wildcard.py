"""EXPECTED: aws-iam-policy-disallow-unscoped-sensitive-actions. CLASS: 2. "Our buckets all start with corpus", so
the worker reads and writes `arn:aws:s3:::corpus*/*`; bucket names are global and S3 ARNs carry no account, so
anyone can create `corpus-exfil` in their own account and receive the worker's writes."""
import baseline as b

kms = b.key()
b.function("worker", kms, statements=[{"Sid": "Data", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"],
                                       "Resource": "arn:aws:s3:::corpus*/*"}])

"""EXPECTED: aws-s3-bucket-disallow-public-policy. CLASS: 3. The bucket policy's Allow was never read: GetObject to
everyone, conditioned only on TLS."""
import baseline as b

kms = b.key()
logs = b.bucket("corpus-access-logs", None)
b.bucket("corpus-exports", kms, log_target=logs, statements=[{
    "Sid": "Downloads", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::corpus-exports/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}])

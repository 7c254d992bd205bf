"""EXPECTED: aws-s3-bucket-enforce-tls. CLASS: 3. The "TLS only" statement denies plain-HTTP reads, but writes and
deletes over HTTP are still allowed."""
import pulumi
import pulumi_aws as aws

import baseline as b

kms = b.key()
logs = b.bucket("corpus-access-logs", None)
data = aws.s3.Bucket("corpus-data", bucket="corpus-data", tags=b.TAGS, opts=b.PROTECT)
aws.s3.BucketOwnershipControls("data-ownership", bucket=data.id, rule={"object_ownership": "BucketOwnerEnforced"})
aws.s3.BucketPublicAccessBlock("data-public-access", bucket=data.id, block_public_acls=True, block_public_policy=True,
                               ignore_public_acls=True, restrict_public_buckets=True)
aws.s3.BucketServerSideEncryptionConfiguration("data-encryption", bucket=data.id, rules=[{
    "apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": kms.arn},
    "bucket_key_enabled": True}])
aws.s3.BucketVersioning("data-versioning", bucket=data.id, versioning_configuration={"status": "Enabled"})
aws.s3.BucketLifecycleConfiguration("data-lifecycle", bucket=data.id, rules=[
    {"id": "abort", "status": "Enabled", "filter": {"prefix": ""},
     "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
     "noncurrent_version_expiration": {"noncurrent_days": 30}}])
aws.s3.BucketLogging("data-logging", bucket=data.id, target_bucket=logs.id, target_prefix="s3/data/")
aws.s3.BucketPolicy("data-policy", bucket=data.id, policy=pulumi.Output.concat(data.arn).apply(lambda arn: b.doc({
    "Sid": "DenyWithoutTls", "Effect": "Deny", "Principal": "*", "Action": "s3:GetObject",
    "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}})))

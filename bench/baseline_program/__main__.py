"""One bucket: the smallest program the offline-plan harness can record and analyse.

`baseline:extraBuckets` (default 0) adds that many more buckets, each with a versioning resource: the benchmark
plans it to measure the harness's marginal cost per registration.
"""
import pulumi
import pulumi_aws as aws

aws.s3.Bucket("baseline")
for i in range(pulumi.Config().get_int("extraBuckets") or 0):
    bucket = aws.s3.Bucket(f"extra-{i}", tags={"index": str(i)})
    aws.s3.BucketVersioning(f"extra-{i}-versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"})

"""One bucket: the smallest program the offline-plan harness can record and analyse."""
import pulumi_aws as aws

aws.s3.Bucket("baseline")

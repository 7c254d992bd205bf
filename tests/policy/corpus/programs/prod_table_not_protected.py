"""EXPECTED: aws-resource-stateful-enable-protection. CLASS: 4. Every table setting is right, but the prod table
lacks Pulumi's protect option, so a replacing change or a destroy deletes it."""
import pulumi
import pulumi_aws as aws

import baseline as b

kms = b.key()
aws.dynamodb.Table("orders", name="orders", billing_mode="PAY_PER_REQUEST", hash_key="pk",
                   attributes=[{"name": "pk", "type": "S"}], point_in_time_recovery={"enabled": True},
                   server_side_encryption={"enabled": True, "kms_key_arn": kms.arn},
                   deletion_protection_enabled=True, tags=b.TAGS, opts=pulumi.ResourceOptions(protect=False))

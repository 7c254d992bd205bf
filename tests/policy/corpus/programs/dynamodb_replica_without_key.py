"""EXPECTED: aws-dynamodb-table-enable-kms-encryption. CLASS: 4. The table uses the stack's key, but its eu-west-1
replica sets none and falls back to the AWS-managed key."""
import baseline as b

kms = b.key()
b.table("orders", kms, stream_enabled=True, stream_view_type="NEW_AND_OLD_IMAGES",
        replicas=[{"region_name": "eu-west-1", "point_in_time_recovery": True}])

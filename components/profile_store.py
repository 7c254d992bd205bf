"""The profile store: one DynamoDB table shared by the predictive solutions (scores, recommendations).

The item layout and the write/read protocol live in contracts/profile_store.py; this component only builds the
table with that contract's key names and hands out least-privilege IAM statements. Defaults: on-demand capacity
(writes come in daily bursts), SSE with the stack key, point-in-time recovery, deletion protection and `protect`
in prod.
"""
from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from contracts import profile_store as contract

from . import iam
from .kms import EncryptionKey


@dataclass
class ProfileStoreArgs:
    kms_key: EncryptionKey
    protect: bool = False
    """Deletion protection and Pulumi `protect` (prod)."""


class ProfileStore(pulumi.ComponentResource):
    table: aws.dynamodb.Table
    table_name: pulumi.Output[str]
    table_arn: pulumi.Output[str]

    def __init__(self, name: str, args: ProfileStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("engagement:shared:ProfileStore", name, None, opts)
        self.solution_tag = "shared"
        self.table = aws.dynamodb.Table(
            f"{name}-table", billing_mode="PAY_PER_REQUEST", hash_key=contract.HASH_KEY,
            range_key=contract.RANGE_KEY,
            attributes=[aws.dynamodb.TableAttributeArgs(name=contract.HASH_KEY, type="S"),
                        aws.dynamodb.TableAttributeArgs(name=contract.RANGE_KEY, type="S")],
            server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True,
                                                                              kms_key_arn=args.kms_key.arn),
            point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True),
            deletion_protection_enabled=args.protect, tags={"purpose": "profile-store"},
            opts=pulumi.ResourceOptions(parent=self, protect=args.protect))
        self.table_name = self.table.name
        self.table_arn = self.table.arn
        self.register_outputs({"table_name": self.table_name, "table_arn": self.table_arn})

    def writer_statements(self, namespace: str) -> list[iam.Statement]:
        """What a writer of one namespace needs: batch read/write of items and its run pointer.

        IAM can scope DynamoDB only by partition key (`dynamodb:LeadingKeys`), and the namespace is the range
        key, so keeping to one's own namespace is the contract writer's job (it only builds its own keys)."""
        contract.check_namespace(namespace)
        return [iam.allow(["dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:GetItem",
                           "dynamodb:PutItem"], [self.table_arn], sid="ProfileStoreWrite")]

    def reader_statements(self) -> list[iam.Statement]:
        return [iam.allow(["dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem"], [self.table_arn],
                          sid="ProfileStoreRead")]
